import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { browserCommand, createCliBrowserOpener } from './open-browser';

const url =
  'https://accounts.example/auth?client_id=a&redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2Fcallback&state=x;rm -rf';

/** A spawn stand-in: records the call and plays the child's events. */
function fakeSpawn(behaviour: 'spawn' | 'enoent' | 'exit-1' | 'throws') {
  const calls: Array<{ command: string; args: string[]; options: SpawnOptions }> = [];
  const spawn = (command: string, args: string[], options: SpawnOptions): ChildProcess => {
    calls.push({ command, args, options });
    if (behaviour === 'throws') throw new Error('EPERM');
    const child = new EventEmitter() as ChildProcess;
    child.unref = () => undefined;
    setImmediate(() => {
      if (behaviour === 'enoent') {
        child.emit('error', Object.assign(new Error('spawn xdg-open ENOENT'), { code: 'ENOENT' }));
        return;
      }
      child.emit('spawn');
      if (behaviour === 'exit-1') setImmediate(() => child.emit('exit', 1, null));
    });
    return child;
  };
  return { spawn, calls };
}

describe('browserCommand', () => {
  it('passes the URL as one argument to the platform opener', () => {
    expect(browserCommand(url, 'linux')).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand(url, 'darwin')).toEqual({ command: 'open', args: [url] });
    expect(browserCommand(url, 'win32')).toEqual({
      command: 'rundll32',
      args: ['url.dll,FileProtocolHandler', url],
    });
  });
});

describe('createCliBrowserOpener', () => {
  it('--no-browser prints the URL line and starts nothing', async () => {
    const out: string[] = [];
    const { spawn, calls } = fakeSpawn('spawn');
    await createCliBrowserOpener({ noBrowser: true, write: (t) => out.push(t), spawn })(url);
    expect(out).toEqual([`Open this URL to sign in: ${url}\n`]);
    expect(calls).toEqual([]);
  });

  it('starts the opener without a shell, the URL as a single argument', async () => {
    const out: string[] = [];
    const { spawn, calls } = fakeSpawn('spawn');
    await createCliBrowserOpener({ write: (t) => out.push(t), spawn, platform: 'linux' })(url);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.command).toBe('xdg-open');
    expect(calls[0]?.args).toEqual([url]);
    expect(calls[0]?.options.shell).toBe(false);
    expect(out.join('')).toContain(url);
    expect(out.join('')).not.toContain('Open this URL to sign in');
  });

  it('falls back to printing when the opener is missing, cannot start, or fails', async () => {
    for (const behaviour of ['enoent', 'throws', 'exit-1'] as const) {
      const out: string[] = [];
      const { spawn } = fakeSpawn(behaviour);
      await createCliBrowserOpener({ write: (t) => out.push(t), spawn, platform: 'linux' })(url);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(out.filter((line) => line === `Open this URL to sign in: ${url}\n`)).toHaveLength(1);
    }
  });

  it('refuses non-web URLs', async () => {
    const { spawn, calls } = fakeSpawn('spawn');
    const open = createCliBrowserOpener({ write: () => undefined, spawn });
    await expect(open('file:///etc/passwd')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(open('not a url')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(calls).toEqual([]);
  });
});
