import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { responseBodyStream } from './http-stream';

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const mapError = (error: unknown) => new SkyfoldError('transient', 'mapped', { cause: error });

describe('responseBodyStream', () => {
  it('passes the body through when its length is as expected, or not known', async () => {
    const stream = (expectedBytes: number | undefined) =>
      responseBodyStream(new Response('hello'), { expectedBytes, what: 'Cloud, reading', mapError });
    expect(await readAll(stream(5))).toBe('hello');
    expect(await readAll(stream(undefined))).toBe('hello');
    expect(
      await readAll(responseBodyStream(new Response(null), { expectedBytes: 0, what: '', mapError })),
    ).toBe('');
  });

  it('fails with transient when fewer or more bytes arrive than expected', async () => {
    for (const expectedBytes of [9, 3]) {
      const stream = responseBodyStream(new Response('hello'), {
        expectedBytes,
        what: 'Cloud, reading',
        mapError,
      });
      await expect(readAll(stream)).rejects.toMatchObject({
        code: 'transient',
        message: `Cloud, reading: received 5 of ${expectedBytes} bytes`,
      });
    }
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled: unknown = null;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024));
      },
      cancel(reason) {
        cancelled = reason ?? 'cancelled';
      },
    });
    const stream = responseBodyStream(new Response(endless), {
      expectedBytes: undefined,
      what: '',
      mapError,
    });
    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break; // destroys the stream
    }
    await expect.poll(() => cancelled).not.toBeNull();
  });

  it('fails with the mapped error when the connection breaks mid-body', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('hel'));
        controller.error(new Error('other side closed'));
      },
    });
    const stream = responseBodyStream(new Response(broken), { expectedBytes: 5, what: 'Cloud', mapError });
    await expect(readAll(stream)).rejects.toMatchObject({ code: 'transient', message: 'mapped' });
  });
});
