/**
 * What `skyfold cp`, `mv` and `transfers resume` report about a batch once the queue stopped: built
 * from `listTransfers` (the journal's jobs) and, when the batch was planned in this run, its plan
 * (the items planning left out have no job). Pure functions: no I/O.
 */
import type { TransferBatchDto, TransferJobDto, TransferPlanDto } from '../../common/transfers';
import { humanSize, printableName } from './format';

/** The `--json` summary of one batch (docs/design/transfers.md §5). */
export interface BatchReport {
  batchId: string;
  op: TransferBatchDto['op'];
  state: TransferBatchDto['state'];
  files: { done: number; skipped: number; failed: number };
  /** Folders created (copy) or moved (move). */
  folders: number;
  /** Bytes of the files done. */
  bytes: number;
  /** Files whose copy the destination confirmed, with the hashes both ends agreed on. */
  verified: Array<{
    src: string;
    dest: string;
    sha256: string | null;
    compared: Array<{ type: string; value: string }>;
  }>;
  renamed: Array<{ from: string; to: string; reason: string }>;
  refused: Array<{ name: string; reason: string }>;
  /** Items left out by `--on-conflict skip`, or skipped while running. */
  skipped: Array<{ name: string; reason: string }>;
  failures: Array<{ src: string; code: string; message: string }>;
  /** Jobs still open: paused (a lost sign-in, a full destination) or run by another process. */
  pending: number;
  paused: number;
}

const endedJobStates = new Set<TransferJobDto['state']>(['done', 'skipped', 'failed', 'cancelled']);

export function batchReport(
  batch: TransferBatchDto,
  jobs: readonly TransferJobDto[],
  plan?: TransferPlanDto,
): BatchReport {
  const mine = jobs.filter((job) => job.batchId === batch.id);
  const files = mine.filter((job) => job.kind === 'file');
  const count = (list: readonly TransferJobDto[], state: TransferJobDto['state']) =>
    list.filter((job) => job.state === state).length;
  const planSkipped = plan?.skipped ?? [];
  const open = mine.filter((job) => !endedJobStates.has(job.state));
  return {
    batchId: batch.id,
    op: batch.op,
    state: batch.state,
    files: {
      done: count(files, 'done'),
      skipped: count(files, 'skipped') + planSkipped.length,
      failed: count(mine, 'failed'),
    },
    folders: count(
      mine.filter((job) => job.kind === 'folder'),
      'done',
    ),
    bytes: files.filter((job) => job.state === 'done').reduce((sum, job) => sum + (job.size ?? 0), 0),
    verified: files
      .filter((job) => job.state === 'done' && job.verified.length > 0)
      .map((job) => ({
        src: job.name,
        dest: job.destName,
        sha256: job.sha256,
        compared: job.verified.map(({ type, value }) => ({ type, value })),
      })),
    renamed:
      plan?.renamed ??
      mine
        .filter((job) => job.destName !== job.name)
        .map((job) => ({
          from: job.name,
          to: job.destName,
          reason: job.renamedBecause ?? 'renamed at the destination',
        })),
    refused: plan?.refused ?? [],
    skipped: [
      ...planSkipped,
      ...mine
        .filter((job) => job.state === 'skipped')
        .map((job) => ({ name: job.name, reason: job.note ?? 'skipped' })),
    ],
    failures: mine
      .filter((job) => job.state === 'failed')
      .map((job) => ({
        src: job.name,
        code: job.error?.code ?? 'permanent',
        message: job.error?.message ?? 'failed',
      })),
    pending: open.length,
    paused: open.filter((job) => job.paused !== null).length,
  };
}

const plural = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/** The human report of one batch: a headline, then what was renamed, refused or skipped. */
export function reportText(report: BatchReport, destination: string): string {
  const verb = report.op === 'move' ? 'Moved' : 'Copied';
  const what = [
    plural(report.files.done, 'file'),
    ...(report.folders > 0 ? [plural(report.folders, 'folder')] : []),
  ];
  const verified = report.verified.length;
  const lines = [
    `${verb} ${what.join(' and ')} (${humanSize(report.bytes)}) to ${printableName(destination)}` +
      (verified > 0 ? `, ${verified === report.files.done ? 'all' : verified} verified` : '') +
      (report.files.failed > 0 ? `; ${report.files.failed} failed` : '') +
      `  [${report.batchId}]`,
    ...report.renamed.map(
      (r) => `  renamed  ${printableName(r.from)} -> ${printableName(r.to)} (${printableName(r.reason)})`,
    ),
    ...report.refused.map((r) => `  refused  ${printableName(r.name)} (${printableName(r.reason)})`),
    ...report.skipped.map((r) => `  skipped  ${printableName(r.name)} (${printableName(r.reason)})`),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * How cp, mv and resume end (docs/design/transfers.md §5): a `skyfold: ...` line per failed item
 * (status 1), then one per batch with items still open: paused, waiting for a decision, or run by
 * another process (status 3 when nothing failed). Status 0 and no lines when all went through.
 */
export function transferEnding(reports: readonly BatchReport[]): { lines: string[]; status: 0 | 1 | 3 } {
  const failures = reports.flatMap((report) =>
    report.failures.map((failure) => `${failure.src}: ${failure.message}`),
  );
  const open = reports
    .filter((report) => report.pending > 0 || report.state === 'needs-decision')
    .map((report) => {
      const paused =
        report.paused > 0
          ? `, ${report.paused} paused (by a pause, a lost sign-in or a full destination)`
          : '';
      const why =
        report.state === 'needs-decision'
          ? 'waits for a decision on names taken at the destination'
          : `has ${plural(report.pending, 'item')} not finished${paused}`;
      return `batch ${report.batchId} ${why}; see: skyfold transfers list, then skyfold transfers resume`;
    });
  return {
    lines: [...failures, ...open],
    status: failures.length > 0 ? 1 : open.length > 0 ? 3 : 0,
  };
}
