import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { reopeningSource } from './reopen-source';

const data = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));

/** A source whose streams break after `breakAfter[n]` bytes on the n-th open (then serve the rest whole). */
function flakySource(breakAfter: number[], error = () => new SkyfoldError('transient', 'connection reset')) {
  const starts: number[] = [];
  const destroyed: boolean[] = [];
  const open = async (start: number) => {
    const attempt = starts.push(start) - 1;
    const limit = breakAfter[attempt];
    const slice = data.subarray(start);
    const stream = new Readable({
      read() {
        if (limit === undefined) {
          this.push(slice);
          this.push(null);
        } else {
          this.push(slice.subarray(0, limit));
          this.destroy(error());
        }
      },
    });
    stream.on('close', () => (destroyed[attempt] = true));
    return stream;
  };
  return { open, starts, destroyed };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('reopeningSource', () => {
  it('continues from the first byte not delivered after each passing fault, seamlessly', async () => {
    const source = flakySource([3000, 1, 4000]);
    const bytes = await collect(reopeningSource(source.open, { pauseMs: () => 0 }));
    expect(bytes.equals(data)).toBe(true);
    expect(source.starts).toEqual([0, 3000, 3001, 7001]);
    expect(source.destroyed.every(Boolean)).toBe(true);
  });

  it('re-opens after rate limits too, but gives up after maxReopens', async () => {
    const limited = () => new SkyfoldError('rate_limited', 'slow down');
    const source = flakySource([10, 10, 10], limited);
    await expect(collect(reopeningSource(source.open, { pauseMs: () => 0, maxReopens: 2 }))).rejects.toThrow(
      'slow down',
    );
    expect(source.starts).toEqual([0, 10, 20]);
  });

  it('fails at once on a fault that retrying will not fix', async () => {
    const source = flakySource([100], () => new SkyfoldError('permanent', 'gone for good'));
    await expect(collect(reopeningSource(source.open, { pauseMs: () => 0 }))).rejects.toMatchObject({
      code: 'permanent',
    });
    expect(source.starts).toEqual([0]);
  });

  it('destroys the stream being read when the consumer stops early', async () => {
    const source = flakySource([]);
    const stream = reopeningSource(source.open, { highWaterMark: 16 });
    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed[0]).toBe(true);
  });
});
