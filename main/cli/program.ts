/**
 * The `skyfold` command line, over the same engine as the desktop app. Each command opens the data
 * directory, does one thing, and closes it; `serve` stays up until SIGINT/SIGTERM.
 * Errors: one line on stderr (`skyfold: ...`) and exit status 1 (2 for usage errors).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import * as path from 'node:path';
import { parseAccountPath } from '../../common/account-path';
import { exportFormatsFor } from '../../common/export-formats';
import { sortKeys, maxPageRows, type Sort } from '../../common/contract';
import {
  cloudOwners,
  cloudProviderKinds,
  providerLabels,
  type AccountDto,
  type ItemDto,
} from '../../common/dto';
import { SkyfoldError } from '../../common/errors';
import { parseSearchQuery, searchSyntaxHelp } from '../../common/search-query';
import { createCliBrowserOpener } from '../core/auth';
import { defaultDataDir } from '../core/data-dir';
import { SkyfoldService } from '../core/service';
import { startWebHost } from '../server/web-host';
import { humanSize, printableName, shortDate, table } from './format';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The built renderer, for `serve`. */
  rendererDir: string;
  /** Resolves when `serve` should stop (SIGINT/SIGTERM in the real CLI). */
  untilStopped: () => Promise<void>;
}

export function createProgram(io: CliIo): Command {
  const program = new Command('skyfold')
    .description('Every file of every cloud account, in one index.')
    .option('--data-dir <dir>', "data directory (default: $SKYFOLD_DATA_DIR or the desktop app's)")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const withService = async <T>(run: (service: SkyfoldService) => Promise<T>): Promise<T> => {
    const dataDir = program.opts<{ dataDir?: string }>().dataDir;
    const service = SkyfoldService.open({
      dataDir: dataDir ? path.resolve(io.cwd, dataDir) : defaultDataDir(io.env),
      env: io.env,
      warn: (message) => io.stderr(`skyfold: warning: ${message}\n`),
    });
    try {
      return await run(service);
    } finally {
      service.close();
    }
  };
  const printJsonLine = (value: unknown) => io.stdout(`${JSON.stringify(value)}\n`);

  const accounts = program.command('accounts').description('list, add and remove accounts');

  const add = accounts.command('add').description('add an account');

  /** Waits for the first index of a new account and reports it. */
  const reportAdded = async (service: SkyfoldService, added: AccountDto, json: boolean) => {
    const account = await service.refreshAccount({ accountId: added.id }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new SkyfoldError(
        'permanent',
        `added ${added.name} (${added.id}), but indexing it failed: ${message}`,
      );
    });
    if (account.sync.state === 'error')
      io.stderr(`skyfold: warning: ${printableName(account.sync.message)}\n`);
    if (json) printJsonLine(account);
    else {
      io.stdout(
        `Added ${printableName(account.name)} (${account.id}): ${printableName(account.location)}, ` +
          `${account.sync.itemCount} items indexed\n`,
      );
    }
  };

  add
    .command('local')
    .description('add a local folder as an account and index it')
    .argument('<path>', 'the folder')
    .option('--name <name>', 'account name (default: the folder name)')
    .option('--json', 'print the account as JSON')
    .action(async (folder: string, options: { name?: string; json?: boolean }) => {
      await withService(async (service) => {
        const added = await service.addLocalAccount({
          path: path.resolve(io.cwd, folder),
          name: options.name,
        });
        await reportAdded(service, added, options.json ?? false);
      });
    });

  for (const kind of cloudProviderKinds) {
    const label = providerLabels[kind];
    add
      .command(kind)
      .description(`sign in to a ${label} account in the browser and index it`)
      .option('--name <name>', 'account name (default: the e-mail address)')
      .option(
        '--endpoint <url>',
        `a server with ${cloudOwners[kind]}'s paths instead of ${label} (an emulator)`,
      )
      .option('--no-browser', 'print the sign-in URL instead of opening a browser')
      .option('--json', 'print the account as JSON')
      .action(async (options: { name?: string; endpoint?: string; browser: boolean; json?: boolean }) => {
        await withService(async (service) => {
          const added = await service.signInCloudAccount(kind, {
            ...(options.name === undefined ? {} : { name: options.name }),
            ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
            openBrowser: createCliBrowserOpener({ noBrowser: !options.browser, write: io.stderr }),
          });
          await reportAdded(service, added, options.json ?? false);
        });
      });
  }

  accounts
    .command('list')
    .description('list accounts')
    .option('--json', 'one JSON object per account')
    .action(async (options: { json?: boolean }) => {
      await withService(async (service) => {
        const list = await service.listAccounts();
        if (options.json) return list.forEach(printJsonLine);
        if (list.length === 0)
          return io.stdout('No accounts yet. Add one with: skyfold accounts add local PATH\n');
        io.stdout(
          `${table([
            ['NAME', 'ID', 'PROVIDER', 'ITEMS', 'LOCATION'],
            ...list.map((a) => [
              printableName(a.name),
              a.id,
              a.provider,
              String(a.sync.itemCount),
              printableName(a.location),
            ]),
          ])}\n`,
        );
      });
    });

  accounts
    .command('remove')
    .description('forget an account (its files are not touched)')
    .argument('<account>', 'account name or id')
    .action(async (reference: string) => {
      await withService(async (service) => {
        const account = await findAccount(service, reference);
        await service.removeAccount({ accountId: account.id });
        io.stdout(`Removed ${account.name} (${account.id})\n`);
      });
    });

  program
    .command('ls')
    .description('list a folder from the index')
    .argument('<account:path>', 'e.g. Photos:/2024 or Photos: for the root')
    .addOption(new Option('--sort <key>', 'sort by').choices(sortKeys).default('name'))
    .option('--reverse', 'reverse the order')
    .option('--json', 'one JSON object per entry')
    .action(async (target: string, options: { sort: Sort['by']; reverse?: boolean; json?: boolean }) => {
      const { account: reference, path: itemPath } = parseTarget(target);
      await withService(async (service) => {
        const account = await findAccount(service, reference);
        const item = await service.resolvePath({ accountId: account.id, path: itemPath });
        const sort: Sort = { by: options.sort, direction: options.reverse ? 'desc' : 'asc' };
        // Paths as the index spells them (a case-insensitive match may differ from what was typed);
        // a folder shortcut keeps the path it was reached by.
        let base = itemPath.replace(/\/+$/, '');
        const entries: ItemDto[] = item.kind === 'folder' ? [] : [item];
        for (let offset = 0; item.kind === 'folder'; offset += maxPageRows) {
          const page = await service.listFolder({
            accountId: account.id,
            folderId: item.id,
            sort,
            offset,
            limit: maxPageRows,
          });
          if (offset === 0 && page.folder.id === item.id) base = storedPath(page);
          entries.push(...page.items);
          if (offset + maxPageRows >= page.total) break;
        }
        if (item.kind !== 'folder' && item.parentId !== null) {
          const parent = await service.listFolder({
            accountId: account.id,
            folderId: item.parentId,
            sort,
            offset: 0,
            limit: 1,
          });
          if (parent.folder.id === item.parentId) base = `${storedPath(parent)}/${item.name}`;
        }
        if (options.json) {
          for (const entry of entries) {
            const entryPath = item.kind === 'folder' ? `${base}/${entry.name}` : base;
            const formats = exportFormatsFor(entry.mimeType);
            printJsonLine({
              account: account.name,
              id: entry.id,
              path: entryPath,
              name: entry.name,
              kind: entry.kind,
              size: entry.size,
              modified: entry.modifiedAt === null ? null : new Date(entry.modifiedAt).toISOString(),
              // Google documents download as one of these (the first by default).
              ...(formats.length > 0 ? { exportFormats: formats } : {}),
            });
          }
          return;
        }
        io.stdout(
          entries
            .map((entry) =>
              [
                entry.kind === 'folder' ? 'd' : '-',
                (entry.size === null ? '' : humanSize(entry.size)).padStart(8),
                shortDate(entry.modifiedAt).padEnd(16),
                printableName(entry.name) + (entry.kind === 'folder' ? '/' : ''),
              ].join('  '),
            )
            .map((line) => `${line}\n`)
            .join(''),
        );
      });
    });

  program
    .command('search')
    .description("search every account's index by name (works offline)")
    .argument('<query...>', 'words and filters, e.g. report ext:pdf size:>10MB in:dropbox')
    .option('--limit <n>', `at most N results (1-${maxPageRows})`, (value) => parseLimit(value), 100)
    .option('--json', 'one JSON object per result')
    .addHelpText('after', `\nQuery syntax:\n${searchSyntaxHelp}\n`)
    .action(async (words: string[], options: { limit: number; json?: boolean }) => {
      const query = parseSearchQuery(words.join(' '), { now: Date.now() });
      await withService(async (service) => {
        const names = new Map((await service.listAccounts()).map((account) => [account.id, account.name]));
        const result = await service.search({ query, offset: 0, limit: options.limit });
        const pathOf = (folderPath: string, name: string) => `${folderPath.replace(/\/$/, '')}/${name}`;
        if (options.json) {
          for (const { item, folderPath } of result.items)
            printJsonLine({
              account: names.get(item.accountId) ?? item.accountId,
              id: item.id,
              path: pathOf(folderPath, item.name),
              name: item.name,
              size: item.size,
              modified: item.modifiedAt === null ? null : new Date(item.modifiedAt).toISOString(),
              kind: item.kind,
            });
          return;
        }
        io.stdout(
          result.items
            .map(({ item, folderPath }) =>
              [
                item.kind === 'folder' ? 'd' : '-',
                (item.size === null ? '' : humanSize(item.size)).padStart(8),
                shortDate(item.modifiedAt).padEnd(16),
                printableName(
                  `${names.get(item.accountId) ?? item.accountId}:${pathOf(folderPath, item.name)}`,
                ) + (item.kind === 'folder' ? '/' : ''),
              ].join('  '),
            )
            .map((line) => `${line}\n`)
            .join(''),
        );
        const shown = result.items.length;
        io.stderr(
          `${shown} of ${result.total}${result.totalExact ? '' : '+'} result${result.total === 1 ? '' : 's'}\n`,
        );
      });
    });

  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (prints a URL with an access token)')
    .option('--port <port>', 'port (default: any free one)', (value) => parsePort(value), 0)
    .option('--json', 'print {"url": ...} as JSON')
    .action(async (options: { port: number; json?: boolean }) => {
      await withService(async (service) => {
        const host = await startWebHost({ service, rendererDir: io.rendererDir, port: options.port });
        service.refreshAllInBackground();
        if (options.json) printJsonLine({ url: host.url, origin: host.origin, port: host.port });
        else
          io.stdout(
            `Skyfold is running. Open this link in a browser:\n\n    ${host.url}\n\nPress Ctrl+C to stop.\n`,
          );
        await io.untilStopped();
        await host.close();
      });
    });

  return program;
}

/** Runs the CLI; resolves with the exit status. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`skyfold: ${printableName(message)}\n`);
    return 1;
  }
}

async function findAccount(service: SkyfoldService, reference: string): Promise<AccountDto> {
  const accounts = await service.listAccounts();
  const account =
    accounts.find((a) => a.id === reference) ??
    accounts.find((a) => a.name.toLowerCase() === reference.toLowerCase());
  if (!account)
    throw new SkyfoldError('not_found', `no account named "${reference}" (see: skyfold accounts list)`);
  return account;
}

function parseTarget(target: string): { account: string; path: string } {
  try {
    return parseAccountPath(target);
  } catch (error) {
    throw new SkyfoldError('invalid_argument', (error as Error).message);
  }
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageRows)
    throw new InvalidArgumentError(`"${value}" is not a number from 1 to ${maxPageRows}`);
  return limit;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError(`"${value}" is not a port`);
  return port;
}

/** A listed folder's path as the index spells it (`/a/b`; the root is ""). */
function storedPath(listing: { folder: ItemDto; ancestors: ItemDto[] }): string {
  if (listing.folder.parentId === null) return '';
  return [...listing.ancestors.slice(1), listing.folder].map((folder) => `/${folder.name}`).join('');
}
