/**
 * `npm run demo` (desktop) and `npm run demo:web` (browser): generates the demo folder under .demo/,
 * registers it as the account "Demo" in a demo data directory through the real CLI, then opens
 * Skyfold on it. Later issues add the emulated clouds here.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { generateDemoFiles } from './demo-files';

const mode = process.argv.includes('--electron') ? 'electron' : 'web';
const demoDir = path.resolve('.demo');
const dataDir = path.join(demoDir, 'data');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/skyfold.mjs', '--data-dir', dataDir, ...args], { encoding: 'utf8' });

console.log('Preparing the demo folder (first run writes ~103,000 small files)...');
const files = generateDemoFiles(path.join(demoDir, 'files'));
const accounts = cli('accounts', 'list', '--json');
if (accounts.status !== 0) throw new Error(accounts.stderr);
if (!accounts.stdout.includes('"name":"Demo"')) {
  const added = cli('accounts', 'add', 'local', files, '--name', 'Demo');
  if (added.status !== 0) throw new Error(added.stderr);
  process.stdout.write(added.stdout);
}

const child =
  mode === 'web'
    ? spawn(process.execPath, ['bin/skyfold.mjs', '--data-dir', dataDir, 'serve'], { stdio: 'inherit' })
    : // Electron's own launcher downloads its binary on first use (electron-vite's refuses instead).
      spawn('npx', ['electron', '.'], {
        stdio: 'inherit',
        env: { ...process.env, SKYFOLD_DATA_DIR: dataDir },
      });
child.on('exit', (code) => {
  if (mode === 'electron' && code !== 0) {
    console.error(
      '\nElectron could not start. Its binary downloads on first launch; on an offline machine use `npm run demo:web`.',
    );
  }
  process.exit(code ?? 0);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
