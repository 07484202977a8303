/**
 * For crash.test.ts: one "process" of the transfer engine. It opens the journal in STATE_DB; when it
 * holds no batch yet, it plans a move of every file of SRC's folder `box` into DEST; then it runs the
 * queue until idle and exits 0. The test kills it (SIGKILL) at random moments and starts it again.
 * DEST is a local folder, or with DROPBOX_URL and DROPBOX_TOKEN set, a Dropbox account on the
 * emulator the test runs (into the folder DEST_FOLDER, an id, when set).
 */
import { openDatabase } from '../../main/core/index/database';
import { stateMigrations } from '../../main/core/index/migrations';
import { DropboxProvider } from '../../main/core/providers/dropbox/dropbox-provider';
import { LocalProvider } from '../../main/core/providers/local/local-provider';
import { Pacer } from '../../main/core/providers/pacer';
import type { Provider } from '../../main/core/providers/types';
import { TransferEngine } from '../../main/core/transfers/engine';
import { TransferJournal } from '../../main/core/transfers/journal';
import { planBatch } from '../../main/core/transfers/planner';

const { STATE_DB, SRC, DEST, DROPBOX_URL, DROPBOX_TOKEN, DEST_FOLDER } = process.env;
const source = await LocalProvider.open(SRC!);
const destination: Provider = DROPBOX_URL
  ? await DropboxProvider.connect({
      apiBaseUrl: DROPBOX_URL,
      tokens: { getAccessToken: async () => DROPBOX_TOKEN!, invalidate: () => undefined },
      pacer: new Pacer({ maxConcurrency: 4, maxRetries: 5, baseDelayMs: 5, maxDelayMs: 50 }),
      uploadChunkSize: 256 * 1024,
    })
  : await LocalProvider.open(DEST!);
const journal = new TransferJournal(
  openDatabase(STATE_DB!, { migrations: stateMigrations, synchronous: 'FULL' }),
);
const endpoints = new Map<string, Provider>([
  ['{"account":"src"}', source],
  ['{"account":"dest"}', destination],
]);
// The only process: a batch still planning was cut short by a kill; plan it again.
journal.abandonPlanning(Date.now() + 1);
if (journal.batches().length === 0) {
  const files: string[] = [];
  for await (const page of source.list('box')) files.push(...page.map((item) => item.id));
  await planBatch(journal, {
    op: 'move',
    origin: 'crash-test',
    source: { endpoint: '{"account":"src"}', provider: source, itemIds: files },
    destination: {
      endpoint: '{"account":"dest"}',
      provider: destination,
      folderId: DEST_FOLDER ?? destination.rootId,
    },
    conflict: 'rename',
  });
}
await new TransferEngine({ journal, provider: async (endpoint) => endpoints.get(endpoint)! }).runUntilIdle();
process.exit(0);
