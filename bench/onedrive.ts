/**
 * OneDrive transfers against the Graph emulator on loopback, each against a baseline from the same
 * run (medians of 3 runs each, alternating which goes first):
 *
 * - Download 64 MiB: the provider's streamed `read` (the 302 followed to the pre-authenticated URL,
 *   without the token) vs. the official Graph client's `/content` as an ArrayBuffer (buffered): time,
 *   and the peak growth of memory held in buffers while it runs.
 * - Upload 64 MiB: the provider's `write` (an upload session in 10 MiB fragments, QuickXorHash
 *   computed over the stream and compared with the committed file's) vs. ONE raw simple `PUT
 *   .../content` of the same bytes with no hashing (the least any client can do).
 */
import { ResponseType } from '@microsoft/microsoft-graph-client';
import { startOnedriveEmulator } from '../emulators';
import { graphClient } from '../emulators/onedrive/graph-client-support';
import { OnedriveProvider } from '../main/core/providers/onedrive/onedrive-provider';
import { compare, mib, size, source } from './transfer-measure';

export async function onedriveRows(fmt: (ms: number) => string): Promise<string[][]> {
  const emulator = await startOnedriveEmulator({ seed: 'empty', quotaBytes: null });
  try {
    const token = emulator.admin.issueTokens(emulator.users[0]!).access_token;
    const provider = await OnedriveProvider.connect({
      apiBaseUrl: emulator.url,
      tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    });
    const { client } = graphClient({ url: emulator.url, token });

    let written = '';
    const body = Buffer.concat(await source().toArray());
    const [session, single] = await compare(
      async () => {
        const options = { conflict: 'replace', size } as const;
        written = (await provider.write(provider.rootId, 'session.bin', source(), options)).id;
      },
      () =>
        fetch(`${emulator.url}/v1.0/me/drive/root:/single.bin:/content`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
          body,
        }).then((response) => response.text()),
    );
    const [streamed, buffered] = await compare(
      async () => {
        let bytes = 0;
        for await (const part of await provider.read(written)) bytes += (part as Buffer).length;
        if (bytes !== size) throw new Error(`read ${bytes} bytes`);
      },
      async () => {
        const bytes = (await client
          .api(`/me/drive/items/${written}/content`)
          .responseType(ResponseType.ARRAYBUFFER)
          .get()) as ArrayBuffer;
        if (bytes.byteLength !== size) throw new Error(`read ${bytes.byteLength} bytes`);
      },
    );
    return [
      [
        'OneDrive upload 64 MiB: session, 10 MiB fragments, QuickXorHash verified',
        fmt(session.ms),
        'one raw simple PUT, no hash',
        fmt(single.ms),
        `${(session.ms / single.ms).toFixed(2)}x`,
      ],
      [
        `OneDrive download 64 MiB streamed: peak ${mib(streamed.peakBytes)} in buffers`,
        fmt(streamed.ms),
        `Graph client ArrayBuffer: peak ${mib(buffered.peakBytes)}`,
        fmt(buffered.ms),
        `${(streamed.ms / buffered.ms).toFixed(2)}x time, ${(buffered.peakBytes / Math.max(streamed.peakBytes, 1)).toFixed(0)}x less memory`,
      ],
    ];
  } finally {
    await emulator.close();
  }
}
