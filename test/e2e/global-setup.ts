/**
 * Prepares the end-to-end run the way a person would: generates the demo folder, adds it with the
 * built CLI, and starts `skyfold serve` on a free port. Tests read the token URL from
 * SKYFOLD_E2E_URL. Requires `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { generateDemoFiles } from '../../scripts/demo-files';

export const e2eDataDir = path.resolve('test-results/e2e-data');

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync('out/main/cli.js') || !existsSync('out/renderer/index.html')) {
    throw new Error('the app is not built: run "npm run build" before the end-to-end tests');
  }
  const files = generateDemoFiles(path.join(os.tmpdir(), 'skyfold-e2e-demo', 'files'));
  rmSync(e2eDataDir, { recursive: true, force: true });
  const added = spawnSync(
    process.execPath,
    [
      'bin/skyfold.mjs',
      '--data-dir',
      e2eDataDir,
      'accounts',
      'add',
      'local',
      files,
      '--name',
      'Demo',
      '--json',
    ],
    { encoding: 'utf8' },
  );
  if (added.status !== 0) throw new Error(`skyfold accounts add failed: ${added.stderr}`);

  const server = spawn(process.execPath, ['bin/skyfold.mjs', '--data-dir', e2eDataDir, 'serve', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: server.stdout! });
    lines.once('line', resolve);
    server.once('exit', (code) => reject(new Error(`skyfold serve exited with ${code}`)));
  });
  const { url } = JSON.parse(firstLine) as { url: string };
  process.env.SKYFOLD_E2E_URL = url;
  process.env.SKYFOLD_E2E_FILES = files;
  process.env.SKYFOLD_E2E_DATA = e2eDataDir;

  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  };
}
