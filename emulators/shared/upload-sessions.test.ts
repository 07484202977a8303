import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { SessionStore, type StoredSession } from './upload-sessions';

interface TestSession extends StoredSession {
  received: number;
}

class TestSessions extends SessionStore<TestSession> {
  private next = 0;
  start(email: string): Promise<TestSession> {
    const id = `s${++this.next}`;
    return this.open(id, `${id}.part`, { email, received: 0 });
  }
}

let dir: string;
let clock: ManualClock;
let sessions: TestSessions;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-sessions-'));
  clock = new ManualClock();
  sessions = new TestSessions(
    () => dir,
    clock,
    () => 1000,
  );
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

describe('SessionStore', () => {
  it('starts sessions with an empty part file, the service state and an expiry', async () => {
    const session = await sessions.start('a@example.com');
    expect(session).toMatchObject({ id: 's1', email: 'a@example.com', received: 0 });
    expect(session.file).toBe(path.join(dir, 's1.part'));
    expect(session.expiresAt).toBe(clock.now() + 1000);
    expect(await fs.readFile(session.file, 'utf8')).toBe('');
    expect(await sessions.get('s1')).toBe(session);
    expect(await sessions.get('nope')).toBeUndefined();
  });

  it("hides another user's session when asked for the owner, and removes expired ones", async () => {
    const session = await sessions.start('a@example.com');
    expect(await sessions.get(session.id, 'a@example.com')).toBe(session);
    expect(await sessions.get(session.id, 'b@example.com')).toBeUndefined();
    clock.advance(1000);
    expect(await sessions.get(session.id, 'b@example.com')).toBeUndefined();
    expect(await exists(session.file)).toBe(true);
    expect(await sessions.get(session.id)).toBeUndefined();
    expect(await exists(session.file)).toBe(false);
  });

  it('sweeps expired sessions when a new one starts, and removes a session with its file', async () => {
    const old = await sessions.start('a@example.com');
    clock.advance(1000);
    const fresh = await sessions.start('a@example.com');
    expect(await exists(old.file)).toBe(false);
    await sessions.remove(fresh);
    expect(await exists(fresh.file)).toBe(false);
    expect(await sessions.get(fresh.id)).toBeUndefined();
  });

  it('runs the requests on one session one after another, even after a failure', async () => {
    const session = await sessions.start('a@example.com');
    const order: string[] = [];
    let release!: () => void;
    const first = sessions.serialize(session, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first');
      throw new Error('broken');
    });
    const second = sessions.serialize(session, async () => {
      order.push('second');
      return 2;
    });
    await Promise.resolve();
    release();
    await expect(first).rejects.toThrow('broken');
    expect(await second).toBe(2);
    expect(order).toEqual(['first', 'second']);
  });
});
