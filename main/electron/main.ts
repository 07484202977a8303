/**
 * Electron main-process entry (bundled to out/main/index.js, an ES module). Everything lives in
 * host.ts; this file only resolves paths and starts it.
 *
 * Data directory: `SKYFOLD_DATA_DIR` when set, otherwise the per-user folder Electron would call
 * `userData` for the product "Skyfold" (`defaultDataDir()`), shared with the CLI and the web host.
 */
import { app, shell } from 'electron';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, productName } from '../core/data-dir';
import { SkyfoldService } from '../core/service';
import { launch } from './host';
import { SafeStorageTokenStore, tokenStorageWarning } from './token-store';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main

app.setName(productName);

launch({
  dataDir: defaultDataDir(),
  rendererDir: path.join(here, '../renderer'),
  preloadPath: path.join(here, '../preload/index.cjs'),
  openService: (options) => {
    const service = SkyfoldService.open({
      ...options,
      // Tokens encrypted with the OS keychain through safeStorage (created after ready, as required).
      openTokenStore: async () => new SafeStorageTokenStore(options.dataDir),
      warn: (message) => console.warn(message),
      // Only the sign-in pages the engine built itself reach the system browser.
      openBrowser: async (url) => {
        const protocol = new URL(url).protocol;
        if (protocol !== 'https:' && protocol !== 'http:')
          throw new Error(`refusing to open ${protocol} URL`);
        await shell.openExternal(url);
      },
    });
    // Linux without a keyring: safeStorage is plain text; the UI shows this notice.
    const warning = tokenStorageWarning();
    if (warning) service.notify(warning);
    return service;
  },
  devTools: !app.isPackaged,
});
