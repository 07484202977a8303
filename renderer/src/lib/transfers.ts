/** What the transfers panel shows about batches and jobs (pure): progress, speed, time left, labels. */
import type { AccountDto } from '../../../common/dto';
import type {
  TransferBatchDto,
  TransferJobDto,
  TransferJobStateDto,
  TransferOpDto,
} from '../../../common/transfers';
import { displayName, formatCount, formatSize } from './format';

const endedStates: ReadonlySet<TransferJobStateDto> = new Set(['done', 'skipped', 'failed', 'cancelled']);

/** Whether a job will not change any more (done, skipped, failed or cancelled). */
export function isJobEnded(job: Pick<TransferJobDto, 'state'>): boolean {
  return endedStates.has(job.state);
}

/** Whether a batch ended (every job done, skipped, failed or cancelled). */
export function isBatchEnded(batch: Pick<TransferBatchDto, 'state'>): boolean {
  return batch.state === 'finished' || batch.state === 'cancelled';
}

/** A whole percentage 0..100 of `done` out of `total` (an empty total counts as complete when `ended`). */
export function percent(done: number, total: number, ended = false): number {
  if (!(total > 0)) return ended ? 100 : 0;
  const value = Math.floor((Math.max(0, done) / total) * 100);
  // 100 only once it really ended: a last byte still being verified reads 99.
  return Math.min(ended ? 100 : 99, Math.max(0, value));
}

/** How far a batch got, by bytes (files by count when they have no bytes). */
export function batchPercent(
  batch: Pick<TransferBatchDto, 'bytes' | 'bytesDone' | 'state' | 'files' | 'open'>,
): number {
  const ended = isBatchEnded(batch);
  if (batch.bytes > 0) return percent(batch.bytesDone, batch.bytes, ended);
  if (batch.files > 0 && !ended) return percent(batch.files - batch.open, batch.files);
  return ended ? 100 : 0;
}

/** How far one job got: files by bytes, folders 0 until created. */
export function jobPercent(job: Pick<TransferJobDto, 'size' | 'bytesDone' | 'state'>): number {
  const ended = job.state === 'done' || job.state === 'skipped';
  if (ended) return 100;
  if (job.size === null || job.size === 0)
    return job.state === 'created' || job.state === 'verified' ? 99 : 0;
  return percent(job.bytesDone, job.size);
}

/** `1.5 MB/s`; empty when nothing moves. */
export function formatRate(bytesPerSecond: number): string {
  if (!(bytesPerSecond > 0)) return '';
  return `${formatSize(bytesPerSecond)}/s`;
}

/** `8 s left`, `3 min left`, `1 h 5 min left`; empty when unknown. */
export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${Math.max(1, whole)} s left`;
  const minutes = Math.ceil(whole / 60);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}

/** Seconds until a batch is done at its current rate; null when it is not moving. */
export function batchSecondsLeft(
  batch: Pick<TransferBatchDto, 'bytes' | 'bytesDone' | 'rate'>,
): number | null {
  if (!(batch.rate > 0)) return null;
  return Math.max(0, batch.bytes - batch.bytesDone) / batch.rate;
}

export type BatchPhase =
  'planning' | 'needs-decision' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

/** One word for where a batch is, for styling and tests. */
export function batchPhase(
  batch: Pick<TransferBatchDto, 'state' | 'open' | 'paused' | 'summary'>,
): BatchPhase {
  switch (batch.state) {
    case 'planning':
      return 'planning';
    case 'needs-decision':
      return 'needs-decision';
    case 'cancelled':
      return 'cancelled';
    case 'finished':
      return batch.summary && batch.summary.failed > 0 ? 'failed' : 'done';
    default:
      return batch.open > 0 && batch.paused >= batch.open ? 'paused' : 'running';
  }
}

const phaseLabels: Record<BatchPhase, string> = {
  planning: 'Preparing…',
  'needs-decision': 'Waiting for your decision',
  running: 'In progress',
  paused: 'Paused',
  done: 'Done',
  failed: 'Finished with errors',
  cancelled: 'Cancelled',
};

export function batchPhaseLabel(phase: BatchPhase): string {
  return phaseLabels[phase];
}

/** Where a batch goes, for people: the account's name, or the local folder's path. */
export function destinationLabel(
  destination: TransferBatchDto['destination'],
  accounts: readonly Pick<AccountDto, 'id' | 'name'>[] | undefined,
): string {
  if ('path' in destination) return displayName(destination.path);
  const account = accounts?.find((candidate) => candidate.id === destination.accountId);
  return account ? displayName(account.name) : 'another account';
}

const verbs: Record<TransferOpDto, { running: string; done: string; base: string }> = {
  copy: { running: 'Copying', done: 'Copied', base: 'copy' },
  move: { running: 'Moving', done: 'Moved', base: 'move' },
};

/** What a batch carries: the one top-level item's name, or `3 files`/`2 items`. */
export function batchSubject(
  batch: Pick<TransferBatchDto, 'files'>,
  jobs: readonly Pick<TransferJobDto, 'parentJob' | 'name' | 'kind'>[],
): string {
  const top = jobs.filter((job) => job.parentJob === null);
  if (top.length === 1) return `“${displayName(top[0]!.name)}”`;
  if (top.length > 0 && top.some((job) => job.kind === 'folder')) return formatCount(top.length, 'item');
  return formatCount(Math.max(batch.files, top.length), 'file');
}

/** `Copying “report.pdf” to Dropbox`, `Moved 3 files to Work`. */
export function batchTitle(
  batch: Pick<TransferBatchDto, 'op' | 'state' | 'files'>,
  jobs: readonly Pick<TransferJobDto, 'parentJob' | 'name' | 'kind'>[],
  destination: string,
): string {
  if (batch.state === 'planning' && jobs.length === 0)
    return `Preparing to ${verbs[batch.op].base} to ${destination}`;
  const verb = isBatchEnded(batch) ? verbs[batch.op].done : verbs[batch.op].running;
  return `${verb} ${batchSubject(batch, jobs)} to ${destination}`;
}

export interface JobCounts {
  total: number;
  done: number;
  skipped: number;
  failed: number;
  cancelled: number;
  /** Not ended and not paused. */
  active: number;
  paused: number;
}

export function countJobs(jobs: readonly Pick<TransferJobDto, 'state' | 'paused'>[]): JobCounts {
  const counts: JobCounts = { total: 0, done: 0, skipped: 0, failed: 0, cancelled: 0, active: 0, paused: 0 };
  for (const job of jobs) {
    counts.total++;
    if (job.state === 'done') counts.done++;
    else if (job.state === 'skipped') counts.skipped++;
    else if (job.state === 'failed') counts.failed++;
    else if (job.state === 'cancelled') counts.cancelled++;
    else if (job.paused !== null) counts.paused++;
    else counts.active++;
  }
  return counts;
}

/** `2 of 5 done · 1 failed · 1 skipped`. */
export function formatCounts(counts: JobCounts): string {
  const parts = [`${counts.done.toLocaleString()} of ${counts.total.toLocaleString()} done`];
  if (counts.failed > 0) parts.push(`${counts.failed.toLocaleString()} failed`);
  if (counts.skipped > 0) parts.push(`${counts.skipped.toLocaleString()} skipped`);
  if (counts.cancelled > 0) parts.push(`${counts.cancelled.toLocaleString()} cancelled`);
  if (counts.paused > 0) parts.push(`${counts.paused.toLocaleString()} paused`);
  return parts.join(' · ');
}

/** `1.2 MB of 5 MB · 500 KB/s · 8 s left`. */
export function batchProgressLine(batch: TransferBatchDto): string {
  const parts: string[] = [];
  if (batch.bytes > 0) {
    parts.push(`${formatSize(Math.min(batch.bytesDone, batch.bytes))} of ${formatSize(batch.bytes)}`);
  }
  if (!isBatchEnded(batch) && batch.paused < batch.open) {
    const rate = formatRate(batch.rate);
    if (rate) parts.push(rate);
    const left = formatTimeLeft(batchSecondsLeft(batch));
    if (left) parts.push(left);
  }
  return parts.join(' · ');
}

const jobStateLabels: Record<TransferJobStateDto, string> = {
  queued: 'Waiting',
  copying: 'Copying',
  verifying: 'Verifying',
  verified: 'Verified',
  relocating: 'Finishing',
  creating: 'Creating folder',
  created: 'Folder created',
  done: 'Done',
  skipped: 'Skipped',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const pausedLabels: Record<NonNullable<TransferJobDto['paused']>, string> = {
  user: 'Paused',
  needs_reconnect: 'Paused: the account needs reconnecting',
  quota: 'Paused: the destination is full',
};

/** What a job is doing, with why it waits: `Copying`, `Paused: the destination is full`, `Retrying in 5 s`. */
export function jobStateLabel(
  job: Pick<TransferJobDto, 'state' | 'paused' | 'retryAt' | 'method'>,
  now: number,
): string {
  if (!isJobEnded(job) && job.paused !== null) return pausedLabels[job.paused];
  if (!isJobEnded(job) && job.retryAt !== null && job.retryAt > now) {
    return `Retrying in ${Math.max(1, Math.ceil((job.retryAt - now) / 1000))} s`;
  }
  if (job.state === 'copying' && job.method !== 'stream') return 'Copying on the server';
  return jobStateLabels[job.state];
}

export interface Actions {
  pause: boolean;
  resume: boolean;
  cancel: boolean;
  retry: boolean;
}

export function jobActions(job: Pick<TransferJobDto, 'state' | 'paused'>): Actions {
  const open = !isJobEnded(job);
  return {
    pause: open && job.paused === null,
    resume: open && job.paused !== null,
    cancel: open,
    retry: job.state === 'failed',
  };
}

export function batchActions(
  batch: Pick<TransferBatchDto, 'state' | 'open' | 'paused' | 'summary'>,
  failedJobs: number,
): Actions {
  const open = !isBatchEnded(batch);
  return {
    pause: open && batch.state === 'ready' && batch.paused < batch.open,
    resume: open && batch.paused > 0,
    cancel: open,
    retry: failedJobs > 0 || (batch.summary !== null && batch.summary.failed > 0),
  };
}

/** How many jobs are not ended in all batches: the toggle's badge. */
export function activeJobCount(batches: readonly Pick<TransferBatchDto, 'state' | 'open'>[]): number {
  let count = 0;
  for (const batch of batches) if (!isBatchEnded(batch)) count += batch.open;
  return count;
}

/** The jobs of each batch, in the order given. */
export function jobsByBatch<J extends Pick<TransferJobDto, 'batchId'>>(jobs: readonly J[]): Map<string, J[]> {
  const map = new Map<string, J[]>();
  for (const job of jobs) {
    const list = map.get(job.batchId);
    if (list) list.push(job);
    else map.set(job.batchId, [job]);
  }
  return map;
}

/** Batches newest first (the engine sends them so; this keeps it true for merged or cached lists). */
export function newestFirst<B extends Pick<TransferBatchDto, 'createdAt'>>(batches: readonly B[]): B[] {
  return [...batches].sort((a, b) => b.createdAt - a.createdAt);
}

export interface FinishedMessage {
  text: string;
  tone: 'success' | 'warning' | 'error';
}

/** The toast and notification for a batch that ended: `Copied 3 files to Dropbox`, failures said. */
export function finishedMessage(
  batch: Pick<TransferBatchDto, 'op' | 'state' | 'summary' | 'files'>,
  destination: string,
): FinishedMessage {
  const verb = verbs[batch.op];
  const summary = { done: 0, skipped: 0, failed: 0, cancelled: 0, ...batch.summary };
  if (batch.state === 'cancelled') {
    const moved =
      summary.done > 0 ? ` (${formatCount(summary.done, 'item')} ${verb.done.toLowerCase()})` : '';
    return { text: `Cancelled the ${verb.base} to ${destination}${moved}`, tone: 'warning' };
  }
  // The summary counts jobs (folders too); `files` counts the files planned.
  const clean = summary.failed === 0 && summary.skipped === 0 && summary.cancelled === 0;
  if (summary.failed > 0 && summary.done === 0 && summary.skipped === 0) {
    return {
      text: `Could not ${verb.base} ${formatCount(summary.failed, 'item')} to ${destination}`,
      tone: 'error',
    };
  }
  const what = clean
    ? batch.files > 0 || summary.done === 0
      ? formatCount(batch.files, 'file')
      : formatCount(summary.done, 'folder')
    : formatCount(summary.done, 'item');
  const extras: string[] = [];
  if (summary.skipped > 0) extras.push(`${summary.skipped.toLocaleString()} skipped`);
  if (summary.failed > 0) extras.push(`${summary.failed.toLocaleString()} failed`);
  if (summary.cancelled > 0) extras.push(`${summary.cancelled.toLocaleString()} cancelled`);
  const text = `${verb.done} ${what} to ${destination}`;
  return {
    text: extras.length > 0 ? `${text} (${extras.join(', ')})` : text,
    tone: summary.failed > 0 ? 'warning' : 'success',
  };
}

/** A system notification only while the window is hidden (the toast shows otherwise) and allowed. */
export function wantsSystemNotification(hidden: boolean, permission: string | null): boolean {
  return hidden && permission === 'granted';
}
