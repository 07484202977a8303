/**
 * `npm run demo` (desktop) and `npm run demo:web` (browser): generates the demo folder under .demo/,
 * starts the cloud emulators with their demo seed, registers the folder ("Demo"), one emulated
 * Google Drive, one Dropbox and one OneDrive account in a demo data directory through the real
 * CLI (the clouds through the real browser sign-in, answered by the emulators' auto-consent), then
 * opens Skyfold on them.
 *
 * The emulators keep their state in memory, so each run signs the cloud accounts in again.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { CloudProviderKind } from '../common/dto';
import { startEmulators } from '../emulators';
import { generateDemoFiles } from './demo-files';

const mode = process.argv.includes('--electron') ? 'electron' : 'web';
const demoDir = path.resolve('.demo');
const dataDir = path.join(demoDir, 'data');
const skyfold = ['bin/skyfold.mjs', '--data-dir', dataDir];

console.log('Preparing the demo folder (first run writes ~103,000 small files)...');
const files = generateDemoFiles(path.join(demoDir, 'files'));
const emulators = await startEmulators({
  seed: 'demo',
  autoConsent: true,
  dataDir: path.join(demoDir, 'emulators'),
});
// The app reaches the emulated clouds through these (see main/core/auth/README.md).
const env = {
  ...process.env,
  SKYFOLD_GDRIVE_CLIENT_ID: 'skyfold-demo.apps.googleusercontent.com',
  SKYFOLD_GDRIVE_ENDPOINT: emulators.gdrive.url,
  SKYFOLD_DROPBOX_CLIENT_ID: 'skyfold-demo-app-key',
  SKYFOLD_DROPBOX_ENDPOINT: emulators.dropbox.url,
  SKYFOLD_ONEDRIVE_CLIENT_ID: '5c6f3e9d-7b1a-4c51-8a55-2f1e6d0b7c4a',
  SKYFOLD_ONEDRIVE_ENDPOINT: emulators.onedrive.url,
};
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [...skyfold, ...args], { encoding: 'utf8', env });

const listed = cli('accounts', 'list', '--json');
if (listed.status !== 0) throw new Error(listed.stderr);
const accounts = listed.stdout
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { id: string; name: string; provider: string });
if (!accounts.some((account) => account.name === 'Demo')) {
  const added = cli('accounts', 'add', 'local', files, '--name', 'Demo');
  if (added.status !== 0) throw new Error(added.stderr);
  process.stdout.write(added.stdout);
}
// Last run's emulated clouds are gone with their emulators: sign in afresh.
for (const account of accounts.filter((candidate) => candidate.provider !== 'local'))
  cli('accounts', 'remove', account.id);
await signIn('gdrive', 'Google Drive');
await signIn('dropbox', 'Dropbox');
await signIn('onedrive', 'OneDrive');

const child =
  mode === 'web'
    ? spawn(process.execPath, [...skyfold, 'serve'], { stdio: 'inherit', env })
    : // Electron's own launcher downloads its binary on first use (electron-vite's refuses instead).
      spawn('npx', ['electron', '.'], { stdio: 'inherit', env: { ...env, SKYFOLD_DATA_DIR: dataDir } });
child.on('exit', async (code) => {
  if (mode === 'electron' && code !== 0) {
    console.error(
      '\nElectron could not start. Its binary downloads on first launch; on an offline machine use `npm run demo:web`.',
    );
  }
  await emulators.close();
  process.exit(code ?? 0);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));

/** `skyfold accounts add KIND --no-browser`, with this script playing the browser (auto-consent). */
async function signIn(kind: CloudProviderKind, label: string): Promise<void> {
  const adding = spawn(process.execPath, [...skyfold, 'accounts', 'add', kind, '--no-browser'], {
    env,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  for await (const line of createInterface({ input: adding.stderr! })) {
    const url = /Open this URL to sign in: (\S+)/.exec(line)?.[1];
    if (url) await fetch(url).then((response) => response.text());
    else console.error(line);
  }
  const code = await new Promise<number | null>((resolve) => adding.once('exit', resolve));
  if (code !== 0) throw new Error(`signing in to the emulated ${label} failed`);
}
