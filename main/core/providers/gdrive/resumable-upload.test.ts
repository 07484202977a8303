import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../../common/errors';
import { chunkGranularity, querySession, uploadThroughSession } from './resumable-upload';

const KiB = 1024;

/**
 * A session endpoint that follows Drive's documented rules: chunks must start at the confirmed
 * offset and (except the last) be multiples of 256 KiB; 308 + Range while incomplete. Behaviour
 * knobs let a test make it confirm less than sent, or fail requests.
 */
function fakeSession(options: { confirmAtMost?: number; failRequests?: number[]; expired?: boolean } = {}) {
  const received: Buffer[] = [];
  let confirmed = 0;
  let requests = 0;
  const ranges: string[] = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    const index = requests++;
    const range = new Headers(init?.headers).get('content-range') ?? '';
    ranges.push(range);
    if (options.expired) return new Response('', { status: 404 });
    if (options.failRequests?.includes(index))
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const body = init?.body ? Buffer.from(init.body as Uint8Array) : Buffer.alloc(0);
    const status = /^bytes \*\/(\d+|\*)$/.exec(range);
    const chunk = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(range);
    let total: number | null = null;
    if (status) {
      total = status[1] === '*' ? null : Number(status[1]);
    } else if (chunk) {
      const start = Number(chunk[1]);
      total = chunk[3] === '*' ? null : Number(chunk[3]);
      if (start !== confirmed)
        return new Response('{"error":{"code":400,"message":"bad start"}}', { status: 400 });
      const isLast = total !== null && Number(chunk[2]) + 1 === total;
      if (!isLast && body.length % chunkGranularity !== 0)
        return new Response('{"error":{"code":400}}', { status: 400 });
      const accept = Math.min(body.length, options.confirmAtMost ?? body.length);
      received.push(body.subarray(0, accept));
      confirmed += accept;
    }
    if (total !== null && confirmed === total) {
      return Response.json({ id: 'new-file', size: String(total) }, { status: 200 });
    }
    return new Response(null, {
      status: 308,
      headers: confirmed > 0 ? { Range: `bytes=0-${confirmed - 1}` } : {},
    });
  }) as typeof fetch;
  return { fetchImpl, received: () => Buffer.concat(received), ranges, requests: () => requests };
}

function pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + 3) & 0xff;
  return bytes;
}

async function* inPieces(bytes: Buffer, piece = 100 * KiB) {
  for (let offset = 0; offset < bytes.length; offset += piece) yield bytes.subarray(offset, offset + piece);
}

describe('uploadThroughSession', () => {
  it('sends 256 KiB-multiple chunks with Content-Range and returns the file', async () => {
    const session = fakeSession();
    const bytes = pattern(1300 * KiB);
    const file = await uploadThroughSession('http://x/session', inPieces(bytes), {
      chunkSize: 512 * KiB,
      totalSize: bytes.length,
      fetch: session.fetchImpl,
    });
    expect(file.id).toBe('new-file');
    expect(session.received().equals(bytes)).toBe(true);
    expect(session.ranges).toEqual([
      `bytes 0-${512 * KiB - 1}/${bytes.length}`,
      `bytes ${512 * KiB}-${1024 * KiB - 1}/${bytes.length}`,
      `bytes ${1024 * KiB}-${bytes.length - 1}/${bytes.length}`,
    ]);
  });

  it('sends every byte exactly once when the known total ends on a chunk boundary', async () => {
    const session = fakeSession();
    const bytes = pattern(512 * KiB);
    const file = await uploadThroughSession('http://x/s', inPieces(bytes, 512 * KiB), {
      chunkSize: 256 * KiB,
      totalSize: bytes.length,
      fetch: session.fetchImpl,
    });
    expect(file.id).toBe('new-file');
    expect(session.ranges).toEqual([`bytes 0-${512 * KiB - 1}/${512 * KiB}`]);
    expect(session.received().equals(bytes)).toBe(true);
  });

  it('works without a known total (`/*`) and finishes on the last chunk', async () => {
    const session = fakeSession();
    const bytes = pattern(600 * KiB);
    await uploadThroughSession('http://x/s', inPieces(bytes), {
      chunkSize: 256 * KiB,
      fetch: session.fetchImpl,
    });
    expect(session.ranges[0]).toBe(`bytes 0-${256 * KiB - 1}/*`);
    expect(session.ranges.at(-1)).toBe(`bytes ${512 * KiB}-${600 * KiB - 1}/${600 * KiB}`);
    expect(session.received().equals(bytes)).toBe(true);
  });

  it('resends what the server did not confirm', async () => {
    const session = fakeSession({ confirmAtMost: 256 * KiB });
    const bytes = pattern(700 * KiB);
    const progress: number[] = [];
    await uploadThroughSession('http://x/s', inPieces(bytes), {
      chunkSize: 512 * KiB,
      totalSize: bytes.length,
      fetch: session.fetchImpl,
      onProgress: (n) => void progress.push(n),
    });
    expect(session.received().equals(bytes)).toBe(true);
    expect(progress).toEqual([256 * KiB, 512 * KiB]);
  });

  it('asks the session how far it got after a connection reset, then continues', async () => {
    const session = fakeSession({ failRequests: [1] });
    const bytes = pattern(800 * KiB);
    await uploadThroughSession('http://x/s', inPieces(bytes), {
      chunkSize: 256 * KiB,
      totalSize: bytes.length,
      fetch: session.fetchImpl,
      sleep: async () => undefined,
    });
    expect(session.received().equals(bytes)).toBe(true);
    expect(session.ranges[2]).toBe(`bytes */${bytes.length}`); // the status query
  });

  it('resumes a session from a confirmed offset (after a restart)', async () => {
    const session = fakeSession();
    const bytes = pattern(600 * KiB);
    await uploadThroughSession('http://x/s', inPieces(bytes.subarray(0, 256 * KiB)), {
      chunkSize: 256 * KiB,
      fetch: session.fetchImpl,
    }).catch(() => undefined); // the process "dies" before the last chunk
    const status = await querySession('http://x/s', bytes.length, session.fetchImpl);
    expect(status).toEqual({ done: false, confirmed: 256 * KiB });
    await uploadThroughSession(
      'http://x/s',
      inPieces(bytes.subarray(256 * KiB)),
      {
        chunkSize: 256 * KiB,
        totalSize: bytes.length,
        fetch: session.fetchImpl,
      },
      256 * KiB,
    );
    expect(session.received().equals(bytes)).toBe(true);
  });

  it('reports an expired session as not_found', async () => {
    const session = fakeSession({ expired: true });
    const error = await uploadThroughSession('http://x/s', inPieces(pattern(10)), {
      chunkSize: 256 * KiB,
      fetch: session.fetchImpl,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SkyfoldError);
    expect((error as SkyfoldError).code).toBe('not_found');
  });

  it('gives up after repeated failures with a transient error', async () => {
    const session = fakeSession({ failRequests: Array.from({ length: 50 }, (_, i) => i) });
    const sleeps: number[] = [];
    const error = await uploadThroughSession('http://x/s', inPieces(pattern(10)), {
      chunkSize: 256 * KiB,
      fetch: session.fetchImpl,
      maxChunkRetries: 2,
      sleep: async (ms) => void sleeps.push(ms),
    }).catch((caught: unknown) => caught);
    expect((error as SkyfoldError).code).toBe('transient');
    expect(sleeps).toEqual([500, 1000]); // backoff between attempts, status queries failing too
    expect(session.requests()).toBe(5); // chunk, query, chunk, query, chunk
  });
});
