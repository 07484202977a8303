/**
 * Electron main-process entry (bundled to out/main/index.js, an ES module). Everything lives in
 * host.ts; this file only resolves paths and starts it.
 *
 * Data directory: `SKYFOLD_DATA_DIR` when set, otherwise the per-user folder Electron would call
 * `userData` for the product "Skyfold" (`defaultDataDir()`), shared with the CLI and the web host.
 */
import { app } from 'electron';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, productName } from '../core/data-dir';
import { SkyfoldService } from '../core/service';
import { launch } from './host';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main

app.setName(productName);

launch({
  dataDir: defaultDataDir(),
  rendererDir: path.join(here, '../renderer'),
  preloadPath: path.join(here, '../preload/index.cjs'),
  openService: (options) => SkyfoldService.open(options),
  devTools: !app.isPackaged,
});
