/**
 * Dropbox transfers against the emulator on loopback, each against a baseline from the same run
 * (medians of 3 runs each, alternating which goes first):
 *
 * - Download 64 MiB: the provider's streamed `read` vs. the SDK's `filesDownload` (which buffers the
 *   whole file): time, and the peak growth of memory held in buffers while it runs.
 * - Upload 64 MiB: the provider's `write` (an upload session in 16 MiB chunks, content_hash computed
 *   over the stream and checked by the server per chunk and for the file) vs. ONE raw `files/upload`
 *   request of the same bytes with no hashing (the least any client can do).
 */
import { Dropbox } from 'dropbox';
import { startDropboxEmulator } from '../emulators';
import { DropboxProvider } from '../main/core/providers/dropbox/dropbox-provider';
import { dropboxFetch } from '../main/core/providers/dropbox/hosts';
import { compare, mib, size, source } from './transfer-measure';

export async function dropboxRows(fmt: (ms: number) => string): Promise<string[][]> {
  const emulator = await startDropboxEmulator({ seed: 'empty', quotaBytes: null });
  try {
    const user = emulator.users[0]!;
    const token = emulator.admin.issueTokens(user).access_token;
    const provider = await DropboxProvider.connect({
      apiBaseUrl: emulator.url,
      tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    });
    const sdk = new Dropbox({ accessToken: token, fetch: dropboxFetch(emulator.url) });

    let written = '';
    const body = Buffer.concat(await source().toArray());
    const [session, single] = await compare(
      async () => {
        const options = { conflict: 'replace', size } as const;
        written = (await provider.write(provider.rootId, 'session.bin', source(), options)).id;
      },
      () =>
        fetch(`${emulator.url}/2/files/upload`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/octet-stream',
            'Dropbox-API-Arg': JSON.stringify({ path: '/single.bin', mode: 'overwrite' }),
          },
          body,
        }).then((response) => response.text()),
    );
    const [streamed, buffered] = await compare(
      async () => {
        let bytes = 0;
        for await (const part of await provider.read(written)) bytes += (part as Buffer).length;
        if (bytes !== size) throw new Error(`read ${bytes} bytes`);
      },
      () => sdk.filesDownload({ path: written }),
    );
    return [
      [
        'Dropbox upload 64 MiB: session, 16 MiB chunks, hashed',
        fmt(session.ms),
        'one raw files/upload, no hash',
        fmt(single.ms),
        `${(session.ms / single.ms).toFixed(2)}x`,
      ],
      [
        `Dropbox download 64 MiB streamed: peak ${mib(streamed.peakBytes)} in buffers`,
        fmt(streamed.ms),
        `SDK filesDownload: peak ${mib(buffered.peakBytes)}`,
        fmt(buffered.ms),
        `${(streamed.ms / buffered.ms).toFixed(2)}x time, ${(buffered.peakBytes / Math.max(streamed.peakBytes, 1)).toFixed(0)}x less memory`,
      ],
    ];
  } finally {
    await emulator.close();
  }
}
