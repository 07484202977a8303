/**
 * Figure 3a (issue 6): what one remote change costs in HTTP requests until it is in the index, per
 * cloud, counted by the emulator. Each account is crawled first (a small tree: 8 folders x 25
 * files), then one file is written through the provider and the engine does what its background
 * loop does: Dropbox answers the pending longpoll (`waitForChanges`, one request), then a sync run
 * reads the change feed. Baseline: the requests a fresh full crawl of the same account costs (what a
 * tool without a change feed pays for every refresh, like `rclone` relisting).
 */
import { Readable } from 'node:stream';
import { startDropboxEmulator } from '../emulators/dropbox/emulator';
import { startGdriveEmulator } from '../emulators/gdrive/emulator';
import { startOnedriveEmulator } from '../emulators/onedrive/emulator';
import { openDatabase } from '../main/core/index/database';
import { ItemStore } from '../main/core/index/item-store';
import { indexMigrations } from '../main/core/index/migrations';
import { SyncStateStore } from '../main/core/index/sync-state-store';
import { DropboxProvider } from '../main/core/providers/dropbox/dropbox-provider';
import { GdriveProvider } from '../main/core/providers/gdrive/gdrive-provider';
import { OnedriveProvider } from '../main/core/providers/onedrive/onedrive-provider';
import { Pacer } from '../main/core/providers/pacer';
import type { AccessTokenSource, Provider } from '../main/core/providers/types';
import { syncAccount } from '../main/core/sync/account-sync';

interface Emulator {
  url: string;
  users: readonly string[];
  admin: { issueTokens(user: string): { access_token: string } };
  requests(): { count: number; recent: readonly string[] };
  close(): Promise<void>;
}

type Connect = (options: {
  apiBaseUrl: string;
  tokens: AccessTokenSource;
  pacer: Pacer;
}) => Promise<Provider>;

const clouds: Array<{ name: string; start: () => Promise<Emulator>; connect: Connect }> = [
  {
    name: 'gdrive',
    start: () => startGdriveEmulator({ seed: 'empty' }),
    connect: (o) => GdriveProvider.connect(o),
  },
  {
    name: 'dropbox',
    start: () => startDropboxEmulator({ seed: 'empty' }),
    connect: (o) => DropboxProvider.connect(o),
  },
  {
    name: 'onedrive',
    start: () => startOnedriveEmulator({ seed: 'empty' }),
    connect: (o) => OnedriveProvider.connect(o),
  },
];

export interface ChangeCost {
  cloud: string;
  /** Requests from the change to the index having it. */
  requests: number;
  /** What they were (`METHOD /path`). */
  paths: readonly string[];
  /** Requests of a full crawl of the same account. */
  crawlRequests: number;
}

export async function measureChangeCosts(): Promise<ChangeCost[]> {
  const costs: ChangeCost[] = [];
  for (const cloud of clouds) {
    const emulator = await cloud.start();
    try {
      const user = emulator.users[0]!;
      let token = emulator.admin.issueTokens(user).access_token;
      const provider = await cloud.connect({
        apiBaseUrl: emulator.url,
        tokens: {
          getAccessToken: async () => token,
          invalidate: (rejected) => {
            if (rejected === token) token = emulator.admin.issueTokens(user).access_token;
          },
        },
        pacer: new Pacer({ maxConcurrency: 4, maxRetries: 3, baseDelayMs: 10, maxDelayMs: 100 }),
      });
      for (let f = 0; f < 8; f++) {
        const folder = await provider.mkdir(provider.rootId, `folder ${f}`, { conflict: 'fail' });
        for (let i = 0; i < 25; i++) {
          await provider.write(folder.id, `file ${i}.txt`, Readable.from([Buffer.from(`${f}/${i}`)]), {
            conflict: 'fail',
            size: `${f}/${i}`.length,
          });
        }
      }
      const db = openDatabase(':memory:', { migrations: indexMigrations, synchronous: 'NORMAL' });
      const stores = { items: new ItemStore(db), syncState: new SyncStateStore(db) };
      const beforeCrawl = emulator.requests().count;
      await syncAccount('bench', provider, stores);
      const crawlRequests = emulator.requests().count - beforeCrawl;
      await syncAccount('bench', provider, stores);

      const target = await provider.mkdir(provider.rootId, 'target', { conflict: 'fail' });
      await syncAccount('bench', provider, stores);
      const cursor = stores.syncState.get('bench').cursor!;
      const written = await provider.write(target.id, 'the change.txt', Readable.from([Buffer.from('x')]), {
        conflict: 'fail',
        size: 1,
      });
      const before = emulator.requests().count;
      const push = provider.changeFeed?.waitForChanges;
      if (push) await push.call(provider.changeFeed, cursor, { timeoutSeconds: 30 });
      await syncAccount('bench', provider, stores);
      if (!stores.items.has('bench', written.id))
        throw new Error(`${cloud.name}: the change is not in the index`);
      const requests = emulator.requests().count - before;
      costs.push({
        cloud: cloud.name,
        requests,
        paths: emulator.requests().recent.slice(-requests),
        crawlRequests,
      });
      db.close();
    } finally {
      await emulator.close();
    }
  }
  return costs;
}
