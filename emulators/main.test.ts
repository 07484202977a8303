/** The launcher: one JSON line per service on stdout, a working API, a clean exit on SIGTERM. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

describe('npm run emulators', () => {
  it('announces each service, serves it, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'emulators/main.ts', '--seed', 'empty', '--faults', 'slow=1 GET /nothing'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error('the launcher exited early')));
    });
    const announcement = JSON.parse(line) as { service: string; url: string; admin: string; users: string[] };
    expect(announcement).toEqual({
      service: 'gdrive',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      admin: `${announcement.url}/__admin`,
      users: ['alice@example.com', 'bob@example.com', 'carol@example.com'],
    });
    const admin = (await (await fetch(announcement.admin)).json()) as { faults: unknown[] };
    expect(admin.faults).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad fault spec with a message and exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulators/main.ts', '--faults', 'explode'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('unknown fault kind "explode"');
  });
});
