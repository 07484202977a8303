/**
 * The `skyfold` command line, over the same engine as the desktop app. Each command opens the data
 * directory, does one thing, and closes it; `serve` stays up until SIGINT/SIGTERM.
 * Errors: one line on stderr (`skyfold: ...`) and exit status 1 (2 for usage errors).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
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
import {
  conflictChoices,
  defaultTransferConcurrency,
  maxTransferConcurrency,
  type ConflictChoiceDto,
  type TransferBatchDto,
  type TransferOpDto,
  type TransferPlanDto,
} from '../../common/transfers';
import { createCliBrowserOpener } from '../core/auth';
import { defaultDataDir } from '../core/data-dir';
import { SkyfoldService } from '../core/service';
import type { EndpointRef } from '../core/transfers/transfers';
import { startWebHost } from '../server/web-host';
import { humanSize, parseRate, printableName, shortDate, table } from './format';
import type { ProgressStream } from './transfer-progress';
import { batchReport, reportText, transferEnding, type BatchReport } from './transfer-report';
import { settleBatches } from './transfer-run';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The built renderer, for `serve`. */
  rendererDir: string;
  /** Resolves when `serve` should stop (SIGINT/SIGTERM in the real CLI). */
  untilStopped: () => Promise<void>;
  /** Where live progress bars are drawn: the terminal (stderr) when there is one. */
  progressStream?: ProgressStream;
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
    .command('sync')
    .description('bring the index of one account, or of every account, up to date')
    .argument('[account]', 'account name or id (default: every account)')
    .option(
      '--full',
      'list everything again instead of asking for changes (the old index stays usable meanwhile)',
    )
    .option('--json', 'one JSON object per account')
    .addHelpText(
      'after',
      '\nExit status 1 when an account ended in error; an offline account is only a warning (its index\n' +
        'still serves ls and search, and it catches up on the next sync).\n',
    )
    .action(async (reference: string | undefined, options: { full?: boolean; json?: boolean }) => {
      await withService(async (service) => {
        const targets =
          reference === undefined ? await service.listAccounts() : [await findAccount(service, reference)];
        if (targets.length === 0 && !options.json)
          return io.stdout('No accounts yet. Add one with: skyfold accounts add local PATH\n');
        // One after another, in list order: the output order is stable, every account writes into
        // the same index database anyway, and a cloud account's sync is already bounded by its
        // provider's rate limits, so running them together would gain little and interleave failures.
        const synced: AccountDto[] = [];
        for (const target of targets) {
          const account = await syncAccount(service, target, options.full ?? false);
          synced.push(account);
          if (options.json)
            printJsonLine({
              account: account.name,
              id: account.id,
              provider: account.provider,
              state: account.sync.state,
              items: account.sync.itemCount,
              lastSyncedAt:
                account.sync.lastSyncedAt === null ? null : new Date(account.sync.lastSyncedAt).toISOString(),
              ...('message' in account.sync ? { message: account.sync.message } : {}),
            });
        }
        if (!options.json && synced.length > 0)
          io.stdout(
            `${table([
              ['NAME', 'PROVIDER', 'STATE', 'ITEMS', 'STATUS'],
              ...synced.map((a) => [
                printableName(a.name),
                a.provider,
                a.sync.state,
                String(a.sync.itemCount),
                printableName(syncStatus(a.sync)),
              ]),
            ])}\n`,
          );
        for (const account of synced)
          if (account.sync.state === 'offline')
            io.stderr(
              `skyfold: warning: ${printableName(account.name)} is offline (${printableName(account.sync.message)}); ` +
                'its index is still usable\n',
            );
        // One `skyfold: ...` line per account in error; the last goes through the usual error path (exit 1).
        const failed = synced.filter((account) => account.sync.state === 'error');
        const failure = (account: AccountDto) =>
          `${account.name}: ${'message' in account.sync ? account.sync.message : 'sync failed'}`;
        for (const account of failed.slice(0, -1)) io.stderr(`skyfold: ${printableName(failure(account))}\n`);
        const last = failed.at(-1);
        if (last) throw new SkyfoldError('permanent', failure(last));
      });
    });

  program
    .command('du')
    .description('count the files, folders and bytes under a folder, from the index')
    .argument('<account:path>', 'e.g. Photos:/2024 or Photos: for the root (a file counts alone)')
    .option('--json', 'print {"account","path","files","folders","bytes"} as JSON')
    .action(async (target: string, options: { json?: boolean }) => {
      const { account: reference, path: itemPath } = parseTarget(target);
      await withService(async (service) => {
        const account = await findAccount(service, reference);
        const item = await service.resolvePath({ accountId: account.id, path: itemPath });
        // Like du(1), a file reports itself alone.
        const usage =
          item.kind === 'folder'
            ? await service.diskUsage({ accountId: account.id, folderId: item.targetId ?? item.id })
            : { files: 1, folders: 0, bytes: item.size ?? 0 };
        const shownPath = (await indexPath(service, account.id, item, itemPath)) || '/';
        if (options.json) return printJsonLine({ account: account.name, path: shownPath, ...usage });
        const count = (n: number, noun: string) =>
          `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
        io.stdout(
          `${humanSize(usage.bytes)} in ${count(usage.files, 'file')}, ${count(usage.folders, 'folder')}  ` +
            `${printableName(`${account.name}:${shownPath}`)}\n`,
        );
      });
    });

  /** Where `transfers` and the reports name a batch's destination: `ACCOUNT:/path` or a local folder. */
  const destinationLabel = async (
    service: SkyfoldService,
    destination: TransferBatchDto['destination'],
  ): Promise<string> => {
    if ('path' in destination) return destination.path;
    const account = (await service.listAccounts()).find((a) => a.id === destination.accountId);
    if (!account) return `${destination.accountId}:`;
    const folder = await service
      .listFolder({
        accountId: account.id,
        folderId: destination.folderId,
        sort: { by: 'name', direction: 'asc' },
        offset: 0,
        limit: 1,
      })
      .then((page) => (page.folder.id === destination.folderId ? storedPath(page) || '/' : '/?'))
      .catch(() => '/?');
    return `${account.name}:${folder}`;
  };

  /** A local path argument as an absolute path (`~` is the home folder). */
  const localPath = (text: string): string => {
    const home = io.env.HOME ?? io.env.USERPROFILE ?? os.homedir();
    const expanded = text === '~' || /^~[\\/]/.test(text) ? path.join(home, text.slice(1)) : text;
    return path.resolve(io.cwd, expanded);
  };

  /** DST of cp and mv: an existing folder of an account, or an existing folder on this computer. */
  const resolveDestination = async (
    service: SkyfoldService,
    target: string,
  ): Promise<{ ref: EndpointRef; folderId: string; label: string; accountId: string | null }> => {
    if (isLocalPath(target)) {
      const folder = localPath(target);
      const stats = await fs.stat(folder).catch(() => null);
      if (!stats) throw new SkyfoldError('not_found', `${folder}: no such folder`);
      if (!stats.isDirectory()) throw new SkyfoldError('invalid_argument', `${folder} is not a folder`);
      return { ref: { path: folder }, folderId: '', label: folder, accountId: null };
    }
    const { account: reference, path: itemPath } = parseTarget(target);
    const account = await findAccount(service, reference);
    const item = await service.resolvePath({ accountId: account.id, path: itemPath });
    const shown = `${account.name}:${(await indexPath(service, account.id, item, itemPath)) || '/'}`;
    if (item.kind !== 'folder') throw new SkyfoldError('invalid_argument', `${shown} is not a folder`);
    return {
      ref: { accountId: account.id },
      folderId: item.targetId ?? item.id,
      label: shown,
      accountId: account.id,
    };
  };

  /** One SRC of cp and mv: the endpoint it is read through (its account, or its parent folder) and its id there. */
  const resolveSource = async (
    service: SkyfoldService,
    source: string,
    op: TransferOpDto,
  ): Promise<{ key: string; ref: EndpointRef; itemId: string; accountId: string | null }> => {
    if (isLocalPath(source)) {
      const file = localPath(source);
      const parent = path.dirname(file);
      if (parent === file) throw new SkyfoldError('invalid_argument', `${file}: cannot ${op} a whole disk`);
      await fs.lstat(file).catch(() => {
        throw new SkyfoldError('not_found', `${file}: no such file or folder`);
      });
      return { key: `path:${parent}`, ref: { path: parent }, itemId: path.basename(file), accountId: null };
    }
    const { account: reference, path: itemPath } = parseTarget(source);
    const account = await findAccount(service, reference);
    const item = await service.resolvePath({ accountId: account.id, path: itemPath });
    if (op === 'move' && item.parentId === null)
      throw new SkyfoldError('invalid_argument', `${account.name}: the root of an account cannot be moved`);
    return {
      key: `account:${account.id}`,
      ref: { accountId: account.id },
      itemId: item.id,
      accountId: account.id,
    };
  };

  /**
   * Prints the reports (one line of JSON each with `json`), then ends like the design says: exit 1
   * when a job failed (a `skyfold: ...` line each), 3 when jobs are still open (paused, waiting for
   * a decision, or run by another process), else 0.
   */
  const printReports = (reports: Array<{ report: BatchReport; destination: string }>, json: boolean) => {
    for (const { report, destination } of reports) {
      if (json) printJsonLine({ ...report, destination });
      else io.stdout(reportText(report, destination));
    }
  };
  const finishTransfers = (reports: Array<{ report: BatchReport; destination: string }>, json: boolean) => {
    printReports(reports, json);
    const { lines, status } = transferEnding(reports.map(({ report }) => report));
    for (const line of lines.slice(0, -1)) io.stderr(`skyfold: ${printableName(line)}\n`);
    const last = lines.at(-1);
    if (last === undefined) return;
    if (status === 1) throw new SkyfoldError('permanent', last);
    throw new CliExit(status, last);
  };

  /** Brings the index of the accounts a transfer changed up to date, so `ls` and `search` show it. */
  const refreshChanged = async (service: SkyfoldService, accountIds: Iterable<string>) => {
    const accounts = await service.listAccounts();
    for (const accountId of new Set(accountIds)) {
      const account = accounts.find((a) => a.id === accountId);
      if (!account) continue;
      const synced = await syncAccount(service, account, false);
      if (synced.sync.state === 'error' || synced.sync.state === 'offline')
        io.stderr(
          `skyfold: warning: the index of ${printableName(account.name)} is not up to date ` +
            `(${printableName(synced.sync.message)}); run: skyfold sync ${printableName(account.name)}\n`,
        );
    }
  };

  /** The terminal to draw progress bars on, or null when output goes to a file or a pipe. */
  const terminal = (): ProgressStream | null => (io.progressStream?.isTTY ? io.progressStream : null);

  const transferCommand = (name: 'cp' | 'mv', op: TransferOpDto, description: string) =>
    program
      .command(name)
      .description(description)
      .usage('[options] SRC... DST')
      .argument(
        '<paths...>',
        'SRC... DST: each ACCOUNT:PATH or a local path (starting with /, ., ~ or a drive letter); ' +
          'DST is an existing folder',
      )
      .addOption(
        new Option('--on-conflict <policy>', 'when a name is taken at the destination')
          .choices(conflictChoices)
          .default('rename'),
      )
      .option('--json', 'one JSON summary per batch')
      .option(
        '--bwlimit <rate>',
        'bandwidth limit for this run, e.g. 512K or 2M (bytes per second)',
        (value) => parseOption(value, parseRate),
      )
      .addHelpText(
        'after',
        '\nEvery file is verified against the hashes the destination reports. Sources from different\n' +
          'accounts or local folders make one batch each. Exit status 1 when an item failed, 3 when\n' +
          'items are left paused or unfinished (skyfold transfers resume continues them).\n',
      )
      .action(
        async (
          paths: string[],
          options: { onConflict: ConflictChoiceDto; json?: boolean; bwlimit?: number },
          command: Command,
        ) => {
          if (paths.length < 2)
            command.error('error: expected SRC... DST (at least one source and a destination)');
          const sources = paths.slice(0, -1);
          const target = paths.at(-1)!;
          await withService(async (service) => {
            if (options.bwlimit !== undefined) service.limitBandwidthForThisProcess(options.bwlimit);
            const destination = await resolveDestination(service, target);
            // Every argument is checked before anything is planned.
            const groups = new Map<
              string,
              { ref: EndpointRef; itemIds: string[]; accountId: string | null }
            >();
            for (const source of sources) {
              const resolved = await resolveSource(service, source, op);
              const group = groups.get(resolved.key) ?? {
                ref: resolved.ref,
                itemIds: [],
                accountId: resolved.accountId,
              };
              if (!group.itemIds.includes(resolved.itemId)) group.itemIds.push(resolved.itemId);
              groups.set(resolved.key, group);
            }
            const plans: TransferPlanDto[] = [];
            let planFailure: unknown = null;
            try {
              for (const group of groups.values())
                plans.push(
                  await service.planTransfer({
                    op,
                    origin: 'cli',
                    source: { ...group.ref, itemIds: group.itemIds },
                    destination: { ...destination.ref, folderId: destination.folderId },
                    conflict: options.onConflict,
                  }),
                );
            } catch (error) {
              planFailure = error;
            }
            // A planned batch already runs in the background: see it through even when a later one
            // could not be planned.
            await settleBatches(
              service,
              plans.map((plan) => plan.batchId),
              options.json ? null : terminal(),
            );
            const reports: Array<{ report: BatchReport; destination: string }> = [];
            for (const plan of plans) {
              const { batches, jobs } = await service.listTransfers({ batchId: plan.batchId });
              const batch = batches[0];
              if (batch)
                reports.push({ report: batchReport(batch, jobs, plan), destination: destination.label });
            }
            if (reports.some(({ report }) => report.files.done + report.folders > 0))
              await refreshChanged(service, [
                ...(destination.accountId === null ? [] : [destination.accountId]),
                ...(op === 'move'
                  ? [...groups.values()].flatMap((group) =>
                      group.accountId === null ? [] : [group.accountId],
                    )
                  : []),
              ]);
            if (planFailure !== null) {
              printReports(reports, options.json ?? false);
              throw planFailure;
            }
            finishTransfers(reports, options.json ?? false);
          });
        },
      );

  transferCommand('cp', 'copy', 'copy files and folders between accounts and this computer, verified');
  transferCommand(
    'mv',
    'move',
    'move files and folders (copied, verified, then the source goes to its trash)',
  );

  const transfers = program
    .command('transfers')
    .description('list, pause, resume, cancel and retry transfers (cp, mv, the app)');

  /** The batch a BATCH argument names: its id, or a unique prefix of it (like git). */
  const findBatch = async (service: SkyfoldService, prefix: string): Promise<TransferBatchDto> => {
    const matches = (await service.listTransfers({})).batches.filter((batch) => batch.id.startsWith(prefix));
    if (matches.length === 1) return matches[0]!;
    throw new SkyfoldError(
      matches.length === 0 ? 'not_found' : 'invalid_argument',
      matches.length === 0 ? `no transfer batch ${prefix}` : `"${prefix}" names ${matches.length} batches`,
    );
  };

  /** The scope of a control: one job (--job), one batch (BATCH), or everything. */
  const controlScope = async (
    service: SkyfoldService,
    batch: string | undefined,
    job: number | undefined,
  ): Promise<{ batchId?: string; jobId?: number }> => {
    if (job !== undefined) return { jobId: job };
    if (batch !== undefined) return { batchId: (await findBatch(service, batch)).id };
    return {};
  };

  /** Prints batches as `transfers list` does (all of them, or those of `only`). */
  const printBatches = async (service: SkyfoldService, json: boolean, only?: ReadonlySet<string>) => {
    const { batches, jobs } = await service.listTransfers({});
    const rows = [];
    for (const batch of batches.filter((candidate) => !only || only.has(candidate.id))) {
      const report = batchReport(batch, jobs);
      rows.push({
        batchId: batch.id,
        op: batch.op,
        state: batch.state,
        destination: await destinationLabel(service, batch.destination),
        createdAt: new Date(batch.createdAt).toISOString(),
        finishedAt: batch.finishedAt === null ? null : new Date(batch.finishedAt).toISOString(),
        done: report.files.done + report.folders,
        skipped: report.files.skipped,
        failed: report.files.failed,
        pending: report.pending,
        paused: batch.paused,
        bytes: report.bytes,
        created: batch.createdAt,
      });
    }
    if (json) return rows.forEach(({ created: _created, ...row }) => printJsonLine(row));
    if (rows.length === 0) return io.stdout('No transfers yet.\n');
    io.stdout(
      `${table([
        ['ID', 'OP', 'STATE', 'DONE', 'FAILED', 'OPEN', 'PAUSED', 'CREATED', 'DESTINATION'],
        ...rows.map((row) => [
          row.batchId,
          row.op,
          row.state,
          String(row.done),
          String(row.failed),
          String(row.pending),
          String(row.paused),
          shortDate(row.created),
          printableName(row.destination),
        ]),
      ])}\n`,
    );
  };

  /** The batches a scope touches (a job's batch, one batch, or every batch). */
  const batchesOf = async (service: SkyfoldService, scope: { batchId?: string; jobId?: number }) => {
    const { batches, jobs } = await service.listTransfers({});
    if (scope.jobId !== undefined) {
      const job = jobs.find((candidate) => candidate.id === scope.jobId);
      if (!job) throw new SkyfoldError('not_found', `no transfer job ${scope.jobId}`);
      return new Set([job.batchId]);
    }
    return new Set(batches.filter((batch) => !scope.batchId || batch.id === scope.batchId).map((b) => b.id));
  };

  /** Runs the unfinished batches of a scope to where they can go, with a progress bar, and reports them. */
  const runAndReport = async (
    service: SkyfoldService,
    scope: { batchId?: string; jobId?: number },
    json: boolean,
  ) => {
    const inScope = await batchesOf(service, scope);
    const unfinished = (await service.listTransfers({})).batches.filter(
      (batch) => inScope.has(batch.id) && batch.state !== 'finished' && batch.state !== 'cancelled',
    );
    if (unfinished.length === 0) {
      await service.runTransfers();
      if (!json) io.stdout('Nothing to resume.\n');
      return;
    }
    await settleBatches(
      service,
      unfinished.map((batch) => batch.id),
      json ? null : terminal(),
    );
    const { batches, jobs } = await service.listTransfers({});
    const reports: Array<{ report: BatchReport; destination: string }> = [];
    for (const batch of batches.filter((b) => unfinished.some((u) => u.id === b.id)).reverse())
      reports.push({
        report: batchReport(batch, jobs),
        destination: await destinationLabel(service, batch.destination),
      });
    await refreshChanged(
      service,
      batches.flatMap((batch) => ('accountId' in batch.destination ? [batch.destination.accountId] : [])),
    );
    finishTransfers(reports, json);
  };

  const jobOption = () =>
    new Option('--job <id>', 'only this job (its id: transfers list --json shows jobs)').argParser((value) =>
      parseOption(value, (text) => {
        const id = Number(text);
        if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`"${text}" is not a job id`);
        return id;
      }),
    );

  transfers
    .command('list', { isDefault: true })
    .description('list transfer batches, newest first')
    .option('--json', 'one JSON object per batch')
    .action(async (options: { json?: boolean }) => {
      await withService((service) => printBatches(service, options.json ?? false));
    });

  transfers
    .command('pause')
    .description('pause transfers (all, one batch, or one job); their progress is kept')
    .argument('[batch]', 'a batch id (or the start of one)')
    .addOption(jobOption())
    .option('--json', 'one JSON object per batch')
    .action(async (batch: string | undefined, options: { job?: number; json?: boolean }) => {
      await withService(async (service) => {
        const scope = await controlScope(service, batch, options.job);
        await service.controlTransfers({ action: 'pause', ...scope });
        await printBatches(service, options.json ?? false, await batchesOf(service, scope));
      });
    });

  transfers
    .command('cancel')
    .description('cancel transfers (all, one batch, or one job); sources are never touched')
    .argument('[batch]', 'a batch id (or the start of one)')
    .addOption(jobOption())
    .option('--json', 'one JSON object per batch')
    .action(async (batch: string | undefined, options: { job?: number; json?: boolean }) => {
      await withService(async (service) => {
        const scope = await controlScope(service, batch, options.job);
        const touched = await batchesOf(service, scope);
        await service.controlTransfers({ action: 'cancel', ...scope });
        // Carried out at once, or by the process running the queue within a second: wait a little.
        const carriedOut = async () => {
          const { batches, jobs } = await service.listTransfers({});
          if (scope.jobId !== undefined)
            return jobs.some((job) => job.id === scope.jobId && job.state === 'cancelled');
          return batches.every((batch) => !touched.has(batch.id) || batch.open === 0);
        };
        for (let waited = 0; waited < 5_000 && !(await carriedOut()); waited += 250)
          await new Promise((resolve) => setTimeout(resolve, 250));
        await printBatches(service, options.json ?? false, touched);
      });
    });

  /** `transfers resume` and `transfers retry`: the control, then the run to the end, reported. */
  const runningControl = (action: 'resume' | 'retry', description: string) =>
    transfers
      .command(action)
      .description(description)
      .argument('[batch]', 'a batch id (or the start of one)')
      .addOption(jobOption())
      .option('--json', 'one JSON summary per batch')
      .action(async (batch: string | undefined, options: { job?: number; json?: boolean }) => {
        await withService(async (service) => {
          const scope = await controlScope(service, batch, options.job);
          await service.controlTransfers({ action, ...scope });
          await runAndReport(service, scope, options.json ?? false);
        });
      });
  runningControl(
    'resume',
    'resume paused transfers and run every unfinished one (after a crash, a kill or a pause)',
  );
  runningControl('retry', 'start failed transfers again (all, one batch, or one job) and report them');

  transfers
    .command('limit')
    .description('show or set the bandwidth limit and the number of transfers at once (the app and the CLI)')
    .argument('[rate]', 'bytes per second, e.g. 512K or 2M; "off" for none')
    .option(
      '--concurrency <n>',
      `transfers at once over all accounts, 1-${maxTransferConcurrency} ("default": ${defaultTransferConcurrency})`,
      (value) => (value === 'default' ? null : parseOption(value, parseConcurrency)),
    )
    .option('--json', 'print {"bandwidthLimit": bytes per second or null, "concurrency": n}')
    .action(async (rate: string | undefined, options: { concurrency?: number | null; json?: boolean }) => {
      await withService(async (service) => {
        const settings =
          rate === undefined && options.concurrency === undefined
            ? await service.getTransferSettings()
            : await service.setTransferSettings({
                ...(rate === undefined
                  ? {}
                  : { bandwidthLimit: rate === 'off' ? null : parseOption(rate, parseRate) }),
                ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
              });
        const { bandwidthLimit, concurrency } = settings;
        if (options.json) return printJsonLine({ bandwidthLimit, concurrency });
        io.stdout(
          `${bandwidthLimit === null ? 'No bandwidth limit.' : `Bandwidth limit: ${humanSize(bandwidthLimit)}/s`}\n` +
            `Transfers at once: ${concurrency}\n`,
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
        service.startBackgroundSync();
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
    if (error instanceof CliExit) {
      io.stderr(`skyfold: ${printableName(error.message)}\n`);
      return error.status;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`skyfold: ${printableName(message)}\n`);
    return 1;
  }
}

/** An end with an exit status other than 1 (a `skyfold: ...` line on stderr). */
class CliExit extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether a cp/mv argument names a path on this computer rather than `ACCOUNT:PATH`: it starts with
 * `/`, `.` or `~`, or (on Windows only, so that a one-letter account stays usable elsewhere) is a
 * drive or UNC path.
 */
export function isLocalPath(text: string, platform: NodeJS.Platform = process.platform): boolean {
  if (/^[/.~]/.test(text)) return true;
  return platform === 'win32' && (/^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\'));
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

function parseConcurrency(value: string): number {
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > maxTransferConcurrency)
    throw new RangeError(`"${value}" is not a number from 1 to ${maxTransferConcurrency}`);
  return concurrency;
}

/** Parses an option's value with `parse`, turning its RangeError into commander's usage error. */
function parseOption<T>(value: string, parse: (text: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError(`"${value}" is not a port`);
  return port;
}

/**
 * Syncs one account and resolves with how it ended. A rejection other than the account being gone
 * is read back as the account's state, so one failing account does not stop the others.
 */
async function syncAccount(service: SkyfoldService, account: AccountDto, full: boolean): Promise<AccountDto> {
  try {
    return await service.refreshAccount({ accountId: account.id, full });
  } catch (error) {
    const after = (await service.listAccounts()).find((a) => a.id === account.id);
    if (!after) throw error;
    if (after.sync.state === 'error') return after;
    const message = error instanceof Error ? error.message : String(error);
    return { ...after, sync: { ...after.sync, state: 'error', message } };
  }
}

/** The STATUS column of `sync`. */
function syncStatus(sync: AccountDto['sync']): string {
  switch (sync.state) {
    case 'idle':
      return sync.lastSyncedAt === null ? 'up to date' : `up to date at ${shortDate(sync.lastSyncedAt)}`;
    case 'crawling':
      return 'still listing';
    case 'offline':
    case 'error':
      return sync.message;
  }
}

/**
 * An item's path as the index spells it (a case-insensitive match may differ from what was typed;
 * a folder shortcut keeps the path it was reached by). The root is "".
 */
async function indexPath(
  service: SkyfoldService,
  accountId: string,
  item: ItemDto,
  typed: string,
): Promise<string> {
  const sort: Sort = { by: 'name', direction: 'asc' };
  const listed = (folderId: string) => service.listFolder({ accountId, folderId, sort, offset: 0, limit: 1 });
  if (item.parentId === null) return '';
  if (item.kind === 'folder') {
    const page = await listed(item.id);
    if (page.folder.id === item.id) return storedPath(page);
  } else {
    const parent = await listed(item.parentId);
    if (parent.folder.id === item.parentId) return `${storedPath(parent)}/${item.name}`;
  }
  return `/${typed.replace(/^\/+|\/+$/g, '')}`;
}

/** A listed folder's path as the index spells it (`/a/b`; the root is ""). */
function storedPath(listing: { folder: ItemDto; ancestors: ItemDto[] }): string {
  if (listing.folder.parentId === null) return '';
  return [...listing.ancestors.slice(1), listing.folder].map((folder) => `/${folder.name}`).join('');
}
