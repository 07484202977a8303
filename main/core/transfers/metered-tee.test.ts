import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { MeteredTee, type Digester } from './metered-tee';
import { TokenBucket } from './token-bucket';

function sha256Digester(): Digester {
  const hash = createHash('sha256');
  return { update: (chunk) => hash.update(chunk), digest: () => ({ sha256: hash.digest('hex') }) };
}

const chunks = [Buffer.from('first '), Buffer.from('middle '), Buffer.from('last')];
const whole = Buffer.concat(chunks);

/** A writer that records what reached it, and when the stream ended. */
function recorder() {
  const received: Buffer[] = [];
  let ended = false;
  const writer = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk);
      callback();
    },
    final(callback) {
      ended = true;
      callback();
    },
  });
  return { writer, received, ended: () => ended };
}

describe('MeteredTee', () => {
  it('passes every byte, hashes them in one pass, and reports progress', async () => {
    const progress: number[] = [];
    const tee = new MeteredTee({
      size: whole.length,
      digester: sha256Digester(),
      onProgress: (bytes) => progress.push(bytes),
      what: 'test',
    });
    const out = recorder();
    await pipeline(Readable.from(chunks), tee, out.writer);
    expect(Buffer.concat(out.received).equals(whole)).toBe(true);
    expect(tee.computed).toEqual({ sha256: createHash('sha256').update(whole).digest('hex') });
    expect(progress).toEqual([6, 13, 17]);
    expect(tee.bytes).toBe(17);
  });

  it('holds the last chunk back until the gate approved every byte', async () => {
    const out = recorder();
    let seenAtGate: number | null = null;
    const tee = new MeteredTee({
      size: null,
      digester: sha256Digester(),
      gate: async () => {
        seenAtGate = Buffer.concat(out.received).length;
      },
      what: 'test',
    });
    await pipeline(Readable.from(chunks), tee, out.writer);
    expect(seenAtGate).toBe(whole.length - 'last'.length);
    expect(out.ended()).toBe(true);
  });

  it('never lets the last chunk through when the gate refuses the bytes', async () => {
    const out = recorder();
    const tee = new MeteredTee({
      size: whole.length,
      digester: sha256Digester(),
      gate: async () => {
        throw new SkyfoldError('transient', "the source's bytes differ from what it reports");
      },
      what: 'test',
    });
    await expect(pipeline(Readable.from(chunks), tee, out.writer)).rejects.toThrow('differ');
    expect(Buffer.concat(out.received).toString()).toBe('first middle ');
    expect(out.ended()).toBe(false);
  });

  it('fails when the source gives fewer or more bytes than its size', async () => {
    for (const size of [whole.length + 1, whole.length - 1]) {
      const out = recorder();
      const tee = new MeteredTee({ size, digester: sha256Digester(), what: 'copying "a"' });
      await expect(pipeline(Readable.from(chunks), tee, out.writer)).rejects.toMatchObject({
        code: 'transient',
        message: expect.stringContaining('copying "a"'),
      });
      expect(out.ended()).toBe(false);
    }
  });

  it('holds the stream to the bandwidth limit', async () => {
    let now = 0;
    const bucket = new TokenBucket(10, {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const out = recorder();
    await pipeline(
      Readable.from(chunks),
      new MeteredTee({ size: null, digester: sha256Digester(), bucket, what: 'test' }),
      out.writer,
    );
    // 17 bytes at 10 bytes/s, the first 10 already in the bucket: at least 0.7 s.
    expect(now).toBeGreaterThanOrEqual(700);
    expect(Buffer.concat(out.received).equals(whole)).toBe(true);
  });
});
