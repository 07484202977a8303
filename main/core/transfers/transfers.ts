/**
 * Transfers as the service offers them: plans a batch from an account or a folder on this
 * computer to another, runs the journal's queue (one runner per data directory: the lease), and
 * shows batches and jobs as contract DTOs. Knows nothing of hosts; the service gives it providers.
 *
 * Endpoints are stored in the journal as JSON: `{"account": id}` or `{"path": "/abs/folder"}` (a
 * local folder named by the CLI or the desktop, read through a LocalProvider opened there).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  ConflictChoiceDto,
  TransferBatchDto,
  TransferJobDto,
  TransferOpDto,
  TransferPlanDto,
} from '../../../common/transfers';
import { SkyfoldError } from '../../../common/errors';
import type { SqliteDatabase } from '../index/database';
import { LocalProvider } from '../providers/local/local-provider';
import type { Provider } from '../providers/types';
import { TransferEngine } from './engine';
import { TransferJournal, type Batch, type Job } from './journal';
import { planBatch } from './planner';
import { checkDestination } from './verify';

/** Where items come from or go: an account, or a folder on this computer. */
export type EndpointRef = { accountId: string } | { path: string };

export interface TransferRequest {
  op: TransferOpDto;
  origin: string;
  source: EndpointRef & { itemIds: readonly string[] };
  destination: EndpointRef & { folderId: string };
  conflict: ConflictChoiceDto | null;
}

export interface TransfersDeps {
  stateDb: SqliteDatabase;
  /** The provider of an account (the service's shared connection). Throws not_found. */
  accountProvider(accountId: string): Promise<Provider>;
  /** Batches or jobs changed. */
  changed(): void;
}

/** How often the runner renews its lease while it runs. */
const heartbeatMs = 5_000;
/** A batch left in `planning` longer than this was abandoned by a crash. */
const abandonedPlanningMs = 10 * 60_000;

export class Transfers {
  readonly journal: TransferJournal;
  private readonly engine: TransferEngine;
  private readonly localProviders = new Map<string, Promise<LocalProvider>>();
  private running: Promise<void> | null = null;
  private runAgain = false;

  constructor(private readonly deps: TransfersDeps) {
    this.journal = new TransferJournal(deps.stateDb);
    this.engine = new TransferEngine({
      journal: this.journal,
      provider: (endpoint) => this.providerOf(endpoint),
      onChange: () => deps.changed(),
    });
  }

  /** Plans a batch (nothing moves yet) and returns what was decided. Throws what the providers throw. */
  async plan(request: TransferRequest): Promise<TransferPlanDto> {
    const source = endpointOf(request.source);
    const destination = endpointOf(request.destination);
    const plan = await planBatch(this.journal, {
      op: request.op,
      origin: request.origin,
      source: { endpoint: source, provider: await this.providerOf(source), itemIds: request.source.itemIds },
      destination: {
        endpoint: destination,
        provider: await this.providerOf(destination),
        folderId: request.destination.folderId,
      },
      conflict: request.conflict,
    });
    this.deps.changed();
    return plan;
  }

  /**
   * Runs the queue until nothing can run (everything ended, paused, or waits for a decision).
   * Concurrent calls share the run (a call during a run makes it go round once more). Returns at
   * once when another process holds the runner lease (it runs the queue).
   */
  run(): Promise<void> {
    if (this.running) {
      this.runAgain = true;
      return this.running;
    }
    this.running = this.runHoldingLease().finally(() => (this.running = null));
    return this.running;
  }

  /** Every batch, newest first, and the jobs of those asked for (all when `batchId` is absent). */
  list(batchId?: string): { batches: TransferBatchDto[]; jobs: TransferJobDto[] } {
    const batches = this.journal.batches().reverse();
    const shown = batchId === undefined ? batches : batches.filter((batch) => batch.id === batchId);
    return {
      batches: shown.map(toBatchDto),
      jobs: shown.flatMap((batch) => this.journal.jobs(batch.id).map(toJobDto)),
    };
  }

  private async runHoldingLease(): Promise<void> {
    const token = this.journal.acquireRunner({ pid: process.pid, host: os.hostname() });
    if (token === null) return;
    const heartbeat = setInterval(() => this.journal.heartbeat(token), heartbeatMs);
    heartbeat.unref();
    try {
      this.journal.abandonPlanning(Date.now() - abandonedPlanningMs);
      do {
        this.runAgain = false;
        await this.engine.runUntilIdle();
      } while (this.runAgain);
    } finally {
      clearInterval(heartbeat);
      this.journal.releaseRunner(token);
    }
  }

  private async providerOf(endpoint: string): Promise<Provider> {
    const parsed = JSON.parse(endpoint) as { account?: unknown; path?: unknown };
    if (typeof parsed.account === 'string') return this.deps.accountProvider(parsed.account);
    if (typeof parsed.path === 'string') {
      let local = this.localProviders.get(parsed.path);
      if (!local) {
        local = LocalProvider.open(parsed.path);
        local.catch(() => this.localProviders.delete(parsed.path as string));
        this.localProviders.set(parsed.path, local);
      }
      return local;
    }
    throw new SkyfoldError('permanent', `not a transfer endpoint: ${endpoint}`);
  }
}

function endpointOf(ref: EndpointRef): string {
  if ('accountId' in ref) return JSON.stringify({ account: ref.accountId });
  if (!path.isAbsolute(ref.path))
    throw new SkyfoldError('invalid_argument', `"${ref.path}" is not an absolute path`);
  return JSON.stringify({ path: ref.path });
}

function toBatchDto(batch: Batch): TransferBatchDto {
  const dest = JSON.parse(batch.dest) as { account?: string; path?: string };
  return {
    id: batch.id,
    op: batch.op,
    state: batch.state,
    destination:
      dest.account !== undefined
        ? { accountId: dest.account, folderId: batch.destFolderId }
        : { path: dest.path! },
    createdAt: batch.createdAt,
    finishedAt: batch.finishedAt,
    summary: (batch.summary as TransferBatchDto['summary']) ?? null,
  };
}

function toJobDto(job: Job): TransferJobDto {
  const verified =
    job.state === 'verified' || job.state === 'done'
      ? checkDestination(job.computed ?? {}, job.destHashes ?? {}).matched.map((type) => ({
          type,
          value: job.destHashes![type]!,
        }))
      : [];
  return {
    id: job.id,
    batchId: job.batchId,
    kind: job.kind,
    name: job.srcName,
    destName: job.destName,
    size: job.srcSize,
    state: job.state,
    paused: job.paused,
    parentJob: job.parentJob,
    renamedBecause: job.nameNote?.reason ?? null,
    verified,
    sha256: job.computed?.sha256 ?? null,
    error: job.error,
    note: job.note,
  };
}
