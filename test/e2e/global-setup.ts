/**
 * Prepares the end-to-end run the way a person would: generates the demo folder, adds it with the
 * built CLI, and starts `skyfold serve` on a free port. Tests read the token URL from
 * SKYFOLD_E2E_URL and the emulators' URLs from SKYFOLD_E2E_<GDRIVE|DROPBOX|ONEDRIVE>_URL. Requires
 * `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { startEmulators } from '../../emulators';
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

  // The emulated clouds, with their consent pages. The first Drive user is signed in through the
  // CLI's real loopback flow (this script plays the browser and submits the consent form); the other
  // Drive users, Dropbox and OneDrive stay free for the UI's own sign-in tests.
  const emulators = await startEmulators({ seed: 'demo' });
  const env = {
    ...process.env,
    SKYFOLD_GDRIVE_CLIENT_ID: 'skyfold-e2e.apps.googleusercontent.com',
    SKYFOLD_GDRIVE_ENDPOINT: emulators.gdrive.url,
    SKYFOLD_DROPBOX_CLIENT_ID: 'skyfold-e2e-app-key',
    SKYFOLD_DROPBOX_ENDPOINT: emulators.dropbox.url,
    SKYFOLD_ONEDRIVE_CLIENT_ID: '3f1c2b7e-8d4a-4e6b-9c01-5a7d2e9f4b60',
    SKYFOLD_ONEDRIVE_ENDPOINT: emulators.onedrive.url,
  };
  const adding = spawn(
    process.execPath,
    ['bin/skyfold.mjs', '--data-dir', e2eDataDir, 'accounts', 'add', 'gdrive', '--no-browser'],
    {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  for await (const line of createInterface({ input: adding.stderr! })) {
    const signInUrl = /Open this URL to sign in: (\S+)/.exec(line)?.[1];
    if (signInUrl) await consent(signInUrl, emulators.gdrive.users[0]!);
  }
  const addStatus = await new Promise<number | null>((resolve) => adding.once('exit', resolve));
  if (addStatus !== 0) throw new Error('skyfold accounts add gdrive failed');
  process.env.SKYFOLD_E2E_DRIVE_USER = emulators.gdrive.users[0];
  process.env.SKYFOLD_E2E_DRIVE_FREE_USER = emulators.gdrive.users[1];
  // The emulated Dropbox and OneDrive are added from the UI only (cloud-accounts.spec.ts).
  process.env.SKYFOLD_E2E_DROPBOX_USER = emulators.dropbox.users[0];
  process.env.SKYFOLD_E2E_ONEDRIVE_USER = emulators.onedrive.users[0];
  // The emulators' base URLs, for specs that use their HTTP admin (`<url>/__admin`, e.g. faults).
  process.env.SKYFOLD_E2E_GDRIVE_URL = emulators.gdrive.url;
  process.env.SKYFOLD_E2E_DROPBOX_URL = emulators.dropbox.url;
  process.env.SKYFOLD_E2E_ONEDRIVE_URL = emulators.onedrive.url;

  const server = spawn(process.execPath, ['bin/skyfold.mjs', '--data-dir', e2eDataDir, 'serve', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
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
    await emulators.close();
  };
}

/** Does what a person does on the emulator's consent page: picks `user` and presses Allow. */
async function consent(authorizeUrl: string, user: string): Promise<void> {
  const page = await (await fetch(authorizeUrl)).text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  const request = /name="request" value="([^"]+)"/.exec(page)?.[1];
  if (!action || !request) throw new Error('the emulator did not show its consent page');
  const decision = await fetch(new URL(action.replaceAll('&amp;', '&'), authorizeUrl), {
    method: 'POST',
    body: new URLSearchParams({ request, user, decision: 'allow' }),
    redirect: 'manual',
  });
  const callback = decision.headers.get('location');
  if (!callback) throw new Error(`the consent page answered ${decision.status} without a redirect`);
  await (await fetch(callback)).text();
}
