/**
 * OnedriveProvider uploads beyond the shared conformance suite, against the emulator: simple PUT vs
 * upload session (320 KiB fragments, no token on the upload URL), resumable sessions across
 * "restarts" (checkpoint), lost answers (checked, never repeated blindly), fail-fast conflicts,
 * closing the source, verification by QuickXorHash (and undoing a wrong new file), modification
 * times, sources of unknown size.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAll, readAll } from '../../../../test/conformance/provider-suite';
import type { OnedriveProvider } from './onedrive-provider';
import {
  dying,
  KiB,
  memoryCheckpoint,
  pattern,
  quickXor,
  startLab,
  streamOf,
  unit,
  type Lab,
} from './test-support';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(() => lab.close());
beforeEach(() => {
  lab.sent.length = 0;
  lab.emulator.admin.clearFaults();
});

const uploadRequests = () => lab.sent.filter((request) => request.path.startsWith('/rup/'));
const fragmentBytes = () =>
  uploadRequests()
    .filter((request) => request.method === 'PUT')
    .reduce((total, request) => total + request.bytes, 0);
const names = async (provider: OnedriveProvider, folder: string) =>
  (await listAll(provider, folder)).map((item) => item.name).sort();

async function expectContent(provider: OnedriveProvider, id: string, bytes: Buffer): Promise<void> {
  expect((await readAll(await provider.read(id))).equals(bytes)).toBe(true);
}

describe('OnedriveProvider upload requests', () => {
  it('sends a small file in one simple PUT, a larger one through a session in 320 KiB fragments without a token', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    lab.sent.length = 0;
    const small = pattern(2 * unit);
    const item = await provider.write(folder, 'small.bin', streamOf(small), {
      conflict: 'fail',
      size: small.length,
    });
    expect(item.hashes.quickxor).toBe(quickXor(small));
    const puts = lab.sent.filter((request) => request.method === 'PUT');
    expect(puts.map((request) => [request.path, request.query, request.bytes, request.authorized])).toEqual([
      [
        `/v1.0/me/drive/items/${folder}:/small.bin:/content`,
        '?@microsoft.graph.conflictBehavior=fail',
        small.length,
        true,
      ],
    ]);

    lab.sent.length = 0;
    const large = pattern(3 * unit + 1234);
    const big = await provider.write(folder, 'large.bin', streamOf(large), {
      conflict: 'fail',
      size: large.length,
    });
    expect(big).toMatchObject({ name: 'large.bin', size: large.length, parentId: folder });
    expect(big.hashes.quickxor).toBe(quickXor(large));
    expect(lab.sent.some((request) => request.path.endsWith(':/large.bin:/createUploadSession'))).toBe(true);
    const fragments = uploadRequests();
    expect(fragments.map((request) => [request.method, request.bytes, request.authorized])).toEqual([
      ['PUT', unit, false],
      ['PUT', unit, false],
      ['PUT', unit, false],
      ['PUT', 1234, false],
    ]);
    expect(fragments.map((request) => request.headers['content-range'])).toEqual([
      `bytes 0-${unit - 1}/${large.length}`,
      `bytes ${unit}-${2 * unit - 1}/${large.length}`,
      `bytes ${2 * unit}-${3 * unit - 1}/${large.length}`,
      `bytes ${3 * unit}-${large.length - 1}/${large.length}`,
    ]);
    await expectContent(provider, big.id, large);
  });

  it('refuses fragment sizes that are not multiples of 320 KiB under 60 MiB, and odd simple limits', async () => {
    for (const size of [0, 1000, unit + 1, 60 * 1024 * KiB, 1.5 * unit]) {
      await expect(lab.connect({ fragmentSize: size }), String(size)).rejects.toMatchObject({
        code: 'invalid_argument',
      });
    }
    await expect(lab.connect({ simpleUploadLimit: -1 })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(lab.connect({ fragmentSize: 191 * unit })).resolves.toBeDefined();
  });

  it('uploads a source of unknown size in one PUT when small, and refuses a large one (sessions need the size)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const small = pattern(1000);
    const item = await provider.write(folder, 'unknown.bin', streamOf(small), { conflict: 'fail' });
    expect(item.size).toBe(1000);
    const large = streamOf(pattern(3 * unit));
    await expect(provider.write(folder, 'too-big.bin', large, { conflict: 'fail' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    expect(large.destroyed).toBe(true);
    expect(await names(provider, folder)).toEqual(['unknown.bin']);
  });

  it('refuses a taken name (case-insensitively) before sending any byte', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    await provider.write(folder, 'Report.PDF', streamOf(pattern(10)), { conflict: 'fail', size: 10 });
    lab.sent.length = 0;
    const source = streamOf(pattern(4 * unit));
    await expect(
      provider.write(folder, 'report.pdf', source, { conflict: 'fail', size: 4 * unit }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(source.destroyed).toBe(true);
    expect(lab.sent.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('leaves nothing behind when a session source ends short of its size, and cancels the session', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    lab.sent.length = 0;
    await expect(
      provider.write(folder, 'short.bin', streamOf(pattern(3 * unit)), { conflict: 'fail', size: 4 * unit }),
    ).rejects.toMatchObject({ code: 'transient' });
    expect(await names(provider, folder)).toEqual([]);
    expect(uploadRequests().at(-1)?.method).toBe('DELETE');
  });

  it('destroys the source when a write fails before sending (missing parent, hostile name, file as parent)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const file = await provider.write(folder, 'f.txt', streamOf(pattern(3)), { conflict: 'fail', size: 3 });
    for (const [parent, name, code] of [
      [`${folder.split('!')[0]}!999999`, 'x.bin', 'not_found'],
      [folder, 'bad:name', 'invalid_argument'],
      [file.id, 'x.bin', 'invalid_argument'],
    ] as const) {
      const source = streamOf(pattern(10));
      await expect(
        provider.write(parent, name, source, { conflict: 'fail', size: 10 }),
      ).rejects.toMatchObject({ code });
      expect(source.destroyed).toBe(true);
    }
  });

  it('sets the modification time (whole seconds) on simple and session uploads', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const modifiedAt = Date.parse('2021-05-06T07:08:09.999Z');
    const small = await provider.write(folder, 'old.txt', streamOf(pattern(5)), {
      conflict: 'fail',
      size: 5,
      modifiedAt,
    });
    const large = await provider.write(folder, 'old.bin', streamOf(pattern(3 * unit)), {
      conflict: 'fail',
      size: 3 * unit,
      modifiedAt,
    });
    for (const item of [small, large]) {
      expect(item.modifiedAt).toBe(Date.parse('2021-05-06T07:08:09Z'));
      expect((await provider.stat(item.id)).modifiedAt).toBe(Date.parse('2021-05-06T07:08:09Z'));
    }
  });

  it('replaces a file through a session too, keeping one file of that name', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    await provider.write(folder, 'data.bin', streamOf(pattern(100)), { conflict: 'fail', size: 100 });
    const next = pattern(3 * unit, 7);
    const replaced = await provider.write(folder, 'DATA.bin', streamOf(next), {
      conflict: 'replace',
      size: next.length,
    });
    expect(await names(provider, folder)).toHaveLength(1);
    await expectContent(provider, replaced.id, next);
  });
});

describe('OnedriveProvider resumable uploads', () => {
  const bytes = pattern(5 * unit + 4321);

  /** First attempt: the source dies after 2.5 fragments, when two 320 KiB fragments are confirmed. */
  async function interrupted(provider: OnedriveProvider, folder: string, checkpoint = memoryCheckpoint()) {
    await expect(
      provider.write(folder, 'resumed.bin', dying(bytes.subarray(0, 2.5 * unit)), {
        conflict: 'fail',
        size: bytes.length,
        checkpoint,
      }),
    ).rejects.toMatchObject({ code: 'transient' });
    return checkpoint;
  }

  async function expectComplete(
    provider: OnedriveProvider,
    folder: string,
    checkpoint: ReturnType<typeof memoryCheckpoint>,
  ) {
    const item = await provider.write(folder, 'resumed.bin', streamOf(bytes), {
      conflict: 'fail',
      size: bytes.length,
      checkpoint,
    });
    expect(item).toMatchObject({ name: 'resumed.bin', size: bytes.length, parentId: folder });
    expect(item.hashes.quickxor).toBe(quickXor(bytes));
    await expectContent(provider, item.id, bytes);
    expect(await names(provider, folder)).toEqual(['resumed.bin']);
    expect(checkpoint.saved).toBeNull();
  }

  it('continues an interrupted upload from its checkpoint, sending only the missing bytes', async () => {
    const first = await lab.connect();
    const folder = await lab.scratch(first);
    const checkpoint = await interrupted(first, folder);
    const saved = JSON.parse(checkpoint.saved!) as Record<string, unknown>;
    expect(saved).toMatchObject({ offset: 2 * unit, size: bytes.length, name: 'resumed.bin' });
    expect(saved.prefixHash).toBe(quickXor(bytes.subarray(0, 2 * unit)));
    expect(await names(first, folder)).toEqual([]);

    lab.sent.length = 0;
    await expectComplete(await lab.connect(), folder, checkpoint); // a "restart": a new provider
    expect(fragmentBytes()).toBe(bytes.length - 2 * unit);
    expect(lab.sent.some((request) => request.path.endsWith('/createUploadSession'))).toBe(false);
  });

  it('skips to where the session stands when the checkpoint is behind it', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const checkpoint = await interrupted(provider, folder);
    // As saved after the first fragment, when the answer to the second was lost.
    const saved = JSON.parse(checkpoint.saved!) as Record<string, unknown>;
    checkpoint.saved = JSON.stringify({
      ...saved,
      offset: unit,
      prefixHash: quickXor(bytes.subarray(0, unit)),
    });
    lab.sent.length = 0;
    await expectComplete(provider, folder, checkpoint);
    expect(fragmentBytes()).toBe(bytes.length - 2 * unit);
  });

  it('starts over when the session holds fewer bytes than recorded, is gone, or the checkpoint is another upload', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const checkpoint = await interrupted(provider, folder);
    const saved = JSON.parse(checkpoint.saved!) as Record<string, unknown>;
    for (const variant of [
      { ...saved, offset: 3 * unit, prefixHash: quickXor(bytes.subarray(0, 3 * unit)) },
      { ...saved, uploadUrl: `${lab.emulator.url}/rup/nobody/no-such-session` },
      { ...saved, size: 99 },
      { ...saved, requested: 'other.bin' },
      { ...saved, prefixHash: undefined },
    ]) {
      const attempt = memoryCheckpoint();
      attempt.saved = JSON.stringify(variant);
      lab.sent.length = 0;
      await expectComplete(provider, folder, attempt);
      expect(fragmentBytes()).toBe(bytes.length);
      await provider.trash((await listAll(provider, folder))[0]!.id);
    }
    const garbage = memoryCheckpoint();
    garbage.saved = 'not json';
    await expectComplete(provider, folder, garbage);
  });

  it('does not resume onto the session when the source changed since the checkpoint', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const checkpoint = await interrupted(provider, folder);
    const changed = Buffer.from(bytes);
    changed[100]! ^= 0xff;
    await expect(
      provider.write(folder, 'resumed.bin', streamOf(changed), {
        conflict: 'fail',
        size: bytes.length,
        checkpoint,
      }),
    ).rejects.toMatchObject({ code: 'transient', message: expect.stringContaining('source differs') });
    expect(checkpoint.saved).toBeNull();
    expect(await names(provider, folder)).toEqual([]);
    await expectComplete(provider, folder, checkpoint);
  });

  it('starts over when the session expired', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const checkpoint = await interrupted(provider, folder);
    lab.emulator.admin.advanceClock(8 * 24 * 3600 * 1000);
    const fresh = await lab.connect(); // tokens expired with the clock
    lab.sent.length = 0;
    await expectComplete(fresh, folder, checkpoint);
    expect(fragmentBytes()).toBe(bytes.length);
  });

  it('finds the file of a last fragment whose answer was lost before a restart, instead of starting over', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const checkpoint = memoryCheckpoint();
    // The last fragment goes through but its answer is lost, and so is the check's lookup.
    lab.emulator.admin.setFaults(
      `drop PUT /rup/* after=5 times=1; error=503 GET /v1.0/*:/resumed.bin:* after=1 times=1`,
    );
    await expect(
      provider.write(folder, 'resumed.bin', streamOf(bytes), {
        conflict: 'fail',
        size: bytes.length,
        checkpoint,
      }),
    ).rejects.toMatchObject({ code: 'transient' });
    expect(JSON.parse(checkpoint.saved!)).toMatchObject({ finishing: quickXor(bytes) });
    lab.emulator.admin.clearFaults();
    lab.sent.length = 0;
    await expectComplete(await lab.connect(), folder, checkpoint);
    expect(fragmentBytes()).toBe(0);
  });

  it('absorbs a fragment whose answer was lost: the repeat is refused (416) and the session tells where it stands', async () => {
    const provider = await lab.connect({ retries: 2 });
    const folder = await lab.scratch(provider);
    lab.emulator.admin.setFaults('drop PUT /rup/* after=1 times=1');
    lab.sent.length = 0;
    const item = await provider.write(folder, 'resumed.bin', streamOf(bytes), {
      conflict: 'fail',
      size: bytes.length,
    });
    await expectContent(provider, item.id, bytes);
    expect(fragmentBytes()).toBe(bytes.length + unit);
    expect(uploadRequests().some((request) => request.method === 'GET')).toBe(true);
  });
});

describe('OnedriveProvider uploads whose answer was lost', () => {
  it('writes once when the answer of a simple PUT is lost (fail, rename beside a taken name, replace)', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const bytes = pattern(1000);
    for (const [name, conflict] of [
      ['a.txt', 'fail'],
      ['a.txt', 'rename'],
      ['a.txt', 'replace'],
    ] as const) {
      lab.emulator.admin.setFaults('drop PUT /v1.0/* times=1');
      const item = await provider.write(folder, name, streamOf(bytes), { conflict, size: bytes.length });
      expect(lab.emulator.admin.faults()[0]!.fired).toBe(1);
      await expectContent(provider, item.id, bytes);
    }
    expect(await names(provider, folder)).toEqual(['a (2).txt', 'a.txt']);
  });

  it('repeats a simple PUT after a 500 once the check shows OneDrive had not acted', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    lab.emulator.admin.setFaults('error=500 PUT /v1.0/* times=1');
    const item = await provider.write(folder, 'b.txt', streamOf(pattern(10)), { conflict: 'fail', size: 10 });
    expect(await names(provider, folder)).toEqual(['b.txt']);
    expect(item.size).toBe(10);
    expect(lab.sent.filter((request) => request.method === 'PUT')).toHaveLength(2);
  });

  it('finds the file of a last fragment whose answer was lost, in the same attempt', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const bytes = pattern(3 * unit + 5);
    lab.emulator.admin.setFaults('drop PUT /rup/* after=3 times=1');
    const item = await provider.write(folder, 'c.bin', streamOf(bytes), {
      conflict: 'fail',
      size: bytes.length,
    });
    expect(lab.emulator.admin.faults()[0]!.fired).toBe(1);
    await expectContent(provider, item.id, bytes);
    expect(await names(provider, folder)).toEqual(['c.bin']);
  });
});

describe('OnedriveProvider sessions meeting a name taken meanwhile', () => {
  /** A fetch that writes `name` into `folder` (as another client) just before the last fragment goes out. */
  const racing =
    (folder: () => string, name: string, size: number) =>
    (inner: typeof fetch): typeof fetch => {
      let raced = false;
      return async (input, init) => {
        const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
        const range = headers.get('content-range');
        if (!raced && String(input).includes('/rup/') && range?.endsWith(`-${size - 1}/${size}`)) {
          raced = true;
          const token = lab.emulator.admin.issueTokens(lab.emulator.users[0]!).access_token;
          const response = await fetch(
            `${lab.emulator.url}/v1.0/me/drive/items/${folder()}:/${name}:/content`,
            {
              method: 'PUT',
              headers: { Authorization: `Bearer ${token}` },
              body: 'the other client',
            },
          );
          expect(response.status).toBe(201);
        }
        return inner(input, init);
      };
    };

  it('commits beside it with rename (explicit commit of the session), and fails with conflict otherwise', async () => {
    const bytes = pattern(3 * unit + 77);
    let folder = '';
    const provider = await lab.connect({ fetch: racing(() => folder, 'race.bin', bytes.length) });
    folder = await lab.scratch(provider);
    const checkpoint = memoryCheckpoint();
    const item = await provider.write(folder, 'race.bin', streamOf(bytes), {
      conflict: 'rename',
      size: bytes.length,
      checkpoint,
    });
    expect(item.name).toBe('race (2).bin');
    await expectContent(provider, item.id, bytes);
    expect(checkpoint.saved).toBeNull();

    const other = await lab.connect({ fetch: racing(() => folder, 'lost.bin', bytes.length) });
    lab.sent.length = 0;
    await expect(
      other.write(folder, 'lost.bin', streamOf(bytes), { conflict: 'fail', size: bytes.length, checkpoint }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(checkpoint.saved).toBeNull();
    expect(uploadRequests().at(-1)?.method).toBe('DELETE');
    expect(await names(provider, folder)).toEqual(['lost.bin', 'race (2).bin', 'race.bin']);
  });

  it('commits beside it when the refusal of the last fragment was lost too (the session holds every byte)', async () => {
    const bytes = pattern(2 * unit + 9);
    let folder = '';
    const provider = await lab.connect({ fetch: racing(() => folder, 'twice.bin', bytes.length) });
    folder = await lab.scratch(provider);
    lab.emulator.admin.setFaults('drop PUT /rup/* after=2 times=1');
    const item = await provider.write(folder, 'twice.bin', streamOf(bytes), {
      conflict: 'rename',
      size: bytes.length,
    });
    expect(lab.emulator.admin.faults()[0]!.fired).toBe(1);
    expect(item.name).toBe('twice (2).bin');
    await expectContent(provider, item.id, bytes);
  });
});

describe('OnedriveProvider upload verification', () => {
  /** A fetch that flips one byte of the bytes sent to a matching request. */
  const corrupting =
    (match: (url: URL) => boolean) =>
    (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const url = new URL(String(input));
      if (match(url) && init?.body instanceof Uint8Array && init.body.byteLength > 0) {
        const body = Buffer.from(init.body);
        body[0]! ^= 0xff;
        return inner(input, { ...init, body });
      }
      return inner(input, init);
    };

  it('removes a new file whose stored bytes differ from those sent (simple and session)', async () => {
    for (const [size, match] of [
      [100, (url: URL) => url.pathname.endsWith('/content')],
      [3 * unit, (url: URL) => url.pathname.startsWith('/rup/')],
    ] as const) {
      const provider = await lab.connect({ fetch: corrupting(match) });
      const folder = await lab.scratch(provider);
      await expect(
        provider.write(folder, 'bad.bin', streamOf(pattern(size)), { conflict: 'fail', size }),
      ).rejects.toMatchObject({
        code: 'transient',
        message: expect.stringContaining('the new file was removed'),
      });
      expect(await names(provider, folder)).toEqual([]);
    }
  });

  it('says where the previous content is when a replace stored other bytes', async () => {
    const clean = await lab.connect();
    const folder = await lab.scratch(clean);
    await clean.write(folder, 'keep.bin', streamOf(pattern(50)), { conflict: 'fail', size: 50 });
    const provider = await lab.connect({ fetch: corrupting((url) => url.pathname.endsWith('/content')) });
    await expect(
      provider.write(folder, 'keep.bin', streamOf(pattern(60)), { conflict: 'replace', size: 60 }),
    ).rejects.toMatchObject({ code: 'transient', message: expect.stringContaining('version history') });
  });
});

describe('OnedriveProvider reads', () => {
  it('follows the content redirect without the token, with the range on the download URL', async () => {
    const provider = await lab.connect();
    const folder = await lab.scratch(provider);
    const bytes = pattern(3000);
    const item = await provider.write(folder, 'r.bin', streamOf(bytes), {
      conflict: 'fail',
      size: bytes.length,
    });
    lab.sent.length = 0;
    const part = await readAll(await provider.read(item.id, { start: 100, end: 1099 }));
    expect(part.equals(bytes.subarray(100, 1100))).toBe(true);
    const [stat, content, download] = lab.sent;
    expect([stat!.path, stat!.authorized]).toEqual([`/v1.0/me/drive/items/${item.id}`, true]);
    expect([content!.path, content!.authorized]).toEqual([`/v1.0/me/drive/items/${item.id}/content`, true]);
    expect(download!.authorized).toBe(false);
    expect(download!.headers.range).toBe('bytes=100-1099');
    expect(lab.sent).toHaveLength(3);
    // Nothing is sent for an empty file's bytes.
    const empty = await provider.write(folder, 'e.bin', Readable.from([]), { conflict: 'fail', size: 0 });
    lab.sent.length = 0;
    expect(await readAll(await provider.read(empty.id))).toHaveLength(0);
    expect(lab.sent).toHaveLength(1);
  });
});
