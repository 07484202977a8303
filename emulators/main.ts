/**
 * `npm run --silent emulators -- [--seed demo|empty|synthetic:N] [--auto-consent] [--faults SPEC]
 * [--port N] [--data DIR] [--write-rate N] [--token-lifetime S]`
 *
 * Starts every emulator on 127.0.0.1 (Google Drive, then Dropbox and OneDrive on the next ports), prints
 * one JSON line per service (`{"service":"gdrive","url":"http://127.0.0.1:PORT","admin":".../__admin","users":[...]}`,
 * then `{"service":"dropbox",...}`, then `{"service":"onedrive",...}`) on stdout, and runs until SIGINT or SIGTERM (then closes cleanly
 * and exits 0). Errors go to stderr, exit 1.
 */
import { Command, InvalidArgumentError } from 'commander';
import { startEmulators } from './index';
import { parseFaultSpec } from './shared/faults';
import { resolveSeed } from './shared/seeds';

const integer = (name: string, min: number) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min)
    throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
  return number;
};

const program = new Command()
  .name('emulators')
  .description(
    'Faithful local emulators of the cloud APIs Skyfold talks to (Google Drive v3, Dropbox v2, Microsoft Graph/OneDrive).',
  )
  .option('--seed <seed>', 'demo | empty | synthetic:N | synthetic:N:flat', 'demo')
  .option('--auto-consent', 'skip the consent page: redirect at once (login_hint or the first user)', false)
  .option('--faults <spec>', 'fault rules, e.g. "rate-limit p=0.1; error=503 PUT /upload/* seq=x.x"')
  .option(
    '--port <n>',
    'port of the first service; the next ones take N+1... (0 = free ports)',
    integer('port', 0),
    0,
  )
  .option('--data <dir>', 'directory for uploaded content (default: a temporary directory)')
  .option('--write-rate <n>', 'per-user write throttling, writes per second', integer('write rate', 1))
  .option(
    '--token-lifetime <s>',
    'access token lifetime in seconds (default: Drive 3600, Dropbox 14400, OneDrive 3600)',
    integer('token lifetime', 1),
  );

async function main(): Promise<void> {
  program.parse();
  const options = program.opts<{
    seed: string;
    autoConsent: boolean;
    faults?: string;
    port: number;
    data?: string;
    writeRate?: number;
    tokenLifetime?: number;
  }>();
  resolveSeed(options.seed);
  if (options.faults) parseFaultSpec(options.faults);
  const running = await startEmulators({
    port: options.port,
    seed: options.seed,
    autoConsent: options.autoConsent,
    faults: options.faults,
    dataDir: options.data,
    writesPerSecond: options.writeRate ?? null,
    tokenLifetimeSeconds: options.tokenLifetime,
  });
  for (const announcement of running.announcements())
    process.stdout.write(JSON.stringify(announcement) + '\n');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`emulators: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulators: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
