/** The launcher: one JSON line per service on stdout, a working API, a clean exit on SIGTERM. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startEmulators } from './index';

/** A port that was free a moment ago (and the two after it, hopefully). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm run emulators', () => {
  it('announces each service (gdrive, dropbox, then onedrive), serves them, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'emulators/main.ts', '--seed', 'empty', '--faults', 'slow=1 GET /nothing'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = await new Promise<string[]>((resolve, reject) => {
      const received: string[] = [];
      createInterface({ input: child.stdout }).on('line', (line) => {
        received.push(line);
        if (received.length === 3) resolve(received);
      });
      child.once('exit', () => reject(new Error('the launcher exited early')));
    });
    type Announcement = { service: string; url: string; admin: string; users: string[] };
    const [gdrive, dropbox, onedrive] = lines.map((line) => JSON.parse(line) as Announcement) as [
      Announcement,
      Announcement,
      Announcement,
    ];
    for (const [announcement, service] of [
      [gdrive, 'gdrive'],
      [dropbox, 'dropbox'],
      [onedrive, 'onedrive'],
    ] as const) {
      expect(announcement).toEqual({
        service,
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        admin: `${announcement.url}/__admin`,
        users: ['alice@example.com', 'bob@example.com', 'carol@example.com'],
      });
      const admin = (await (await fetch(announcement.admin)).json()) as { faults: unknown[] };
      expect(admin.faults).toHaveLength(1);
    }
    const usage = await fetch(`${dropbox.url}/2/users/get_space_usage`, {
      method: 'POST',
      headers: { Authorization: 'Bearer nope' },
    });
    expect(usage.status).toBe(401);
    const me = await fetch(`${onedrive.url}/v1.0/me`, { headers: { Authorization: 'Bearer nope' } });
    expect(me.status).toBe(401);
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

  it('gives each service the next port after --port', async () => {
    const port = await freePort();
    const running = await startEmulators({ port, seed: 'empty' });
    try {
      expect(running.gdrive.url).toBe(`http://127.0.0.1:${port}`);
      expect(running.dropbox.url).toBe(`http://127.0.0.1:${port + 1}`);
      expect(running.onedrive.url).toBe(`http://127.0.0.1:${port + 2}`);
      expect(running.announcements().map((a) => a.service)).toEqual(['gdrive', 'dropbox', 'onedrive']);
    } finally {
      await running.close();
    }
  });
});
