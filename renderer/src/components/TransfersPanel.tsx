/**
 * The transfers panel: uploads being sent, then every batch newest first with its progress, speed,
 * time left and counts; a batch's files on demand; pause, resume, cancel and retry for one file, a
 * batch or everything; and the question a batch waits on when names are taken at the destination.
 */
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { MethodArgs, MethodResults, SkyfoldApi } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import type { ConflictChoiceDto, TransferBatchDto, TransferJobDto } from '../../../common/transfers';
import { useNow } from '../hooks/use-now';
import { displayName, formatCount, formatSize } from '../lib/format';
import {
  activeJobCount,
  batchActions,
  batchPercent,
  batchPhase,
  batchPhaseLabel,
  batchProgressLine,
  batchTitle,
  countJobs,
  destinationLabel,
  formatCounts,
  isJobEnded,
  jobActions,
  jobPercent,
  jobStateLabel,
  jobsByBatch,
  newestFirst,
  percent,
  type Actions,
} from '../lib/transfers';
import { useUploads, type UploadEntry } from './TransferUi';

/** Rows shown for a batch's files before "and N more". */
const shownJobs = 200;

/** The answers to names taken at the destination, as the conflict prompt offers them. */
const conflictButtons: ReadonlyArray<{
  choice: ConflictChoiceDto;
  label: string;
  title: string;
  secondary: boolean;
}> = [
  { choice: 'rename', label: 'Rename', title: 'Keep both: the new ones get another name', secondary: false },
  { choice: 'replace', label: 'Replace', title: 'The ones at the destination are replaced', secondary: true },
  { choice: 'skip', label: 'Skip', title: 'Leave those out', secondary: true },
];

type Control = MethodArgs<'controlTransfers'>;

export function TransfersToggle({
  open,
  count,
  panelId,
  onToggle,
}: {
  open: boolean;
  /** Jobs not ended (and uploads being sent). */
  count: number;
  panelId: string;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      className="button button-secondary transfers-toggle"
      aria-expanded={open}
      aria-controls={panelId}
      aria-label={count > 0 ? `Transfers (${count} active)` : 'Transfers'}
      title="Show transfers"
      data-testid="transfers-toggle"
      onClick={onToggle}
    >
      Transfers
      {count > 0 ? (
        <span className="badge" data-testid="transfers-badge" aria-hidden="true">
          {count > 999 ? '999+' : count}
        </span>
      ) : null}
    </button>
  );
}

/** How many things the toggle's badge counts. */
export function transfersBadgeCount(
  batches: readonly TransferBatchDto[] | undefined,
  uploads: readonly UploadEntry[],
): number {
  return activeJobCount(batches ?? []) + uploads.filter((entry) => entry.state !== 'failed').length;
}

export function TransfersPanel({
  id,
  api,
  accounts,
  data,
  error,
  flash,
  onClose,
}: {
  id: string;
  api: SkyfoldApi;
  accounts: readonly AccountDto[] | undefined;
  data: MethodResults['listTransfers'] | undefined;
  error: Error | null;
  /** Changes when the panel should draw the eye (a transfer just started). */
  flash: number;
  onClose: () => void;
}) {
  const { uploads, dismissUpload } = useUploads();
  const control = useMutation({ mutationFn: (args: Control) => api.controlTransfers(args) });
  const decide = useMutation({
    mutationFn: (args: MethodArgs<'decideTransfer'>) => api.decideTransfer(args),
  });
  const titleId = useId();
  const batches = newestFirst(data?.batches ?? []);
  const jobs = jobsByBatch(data?.jobs ?? []);
  const anyOpen = batches.some((batch) => batch.open > 0);
  const anyPaused = batches.some((batch) => batch.paused > 0);
  const run = (args: Control) => control.mutate(args);

  return (
    <aside id={id} className="transfers-panel" aria-labelledby={titleId} data-testid="transfers-panel">
      {flash > 0 ? <span key={flash} className="panel-flash" aria-hidden="true" /> : null}
      <header className="transfers-head">
        <h2 className="transfers-title" id={titleId}>
          Transfers
        </h2>
        <button
          type="button"
          className="button button-small button-secondary"
          disabled={!anyOpen}
          onClick={() => run({ action: 'pause' })}
        >
          Pause all
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          disabled={!anyPaused}
          onClick={() => run({ action: 'resume' })}
        >
          Resume all
        </button>
        <button
          type="button"
          className="icon-button transfers-close"
          aria-label="Close transfers"
          title="Close"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      {control.error ? (
        <p className="inline-alert" role="alert">
          {control.error.message}
        </p>
      ) : null}
      {error && !data ? (
        <p className="inline-alert" role="alert">
          Could not load the transfers: {error.message}
        </p>
      ) : null}
      <div className="transfers-list">
        {uploads.map((upload) => (
          <UploadCard
            key={upload.id}
            upload={upload}
            destination={destinationLabel(upload.destination, accounts)}
            onDismiss={() => dismissUpload(upload.id)}
          />
        ))}
        {batches.length === 0 && uploads.length === 0 ? (
          <p className="transfers-empty">
            Nothing is being transferred. Drag files onto a folder or an account to copy or move them.
          </p>
        ) : null}
        {batches.map((batch) => (
          <BatchCard
            key={batch.id}
            batch={batch}
            jobs={jobs.get(batch.id) ?? []}
            destination={destinationLabel(batch.destination, accounts)}
            onControl={run}
            deciding={decide.isPending && decide.variables.batchId === batch.id}
            decideError={decide.error && decide.variables?.batchId === batch.id ? decide.error.message : null}
            onDecide={(conflict, remember) => decide.mutate({ batchId: batch.id, conflict, remember })}
          />
        ))}
      </div>
    </aside>
  );
}

function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
    >
      <span className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}

function UploadCard({
  upload,
  destination,
  onDismiss,
}: {
  upload: UploadEntry;
  destination: string;
  onDismiss: () => void;
}) {
  const progress = upload.progress;
  const value = progress
    ? percent(progress.bytesSent, progress.bytes, progress.filesSent === progress.files)
    : 0;
  const title = progress
    ? `Uploading ${formatCount(progress.files, 'file')} to ${destination}`
    : `Reading the dropped files for ${destination}…`;
  return (
    <section className="transfer-card" data-testid="upload" data-state={upload.state} aria-label={title}>
      <div className="transfer-card-head">
        <h3 className="transfer-card-title">{title}</h3>
        <span className="transfer-state">{upload.state === 'failed' ? 'Failed' : 'Sending'}</span>
      </div>
      <ProgressBar value={value} label={`Upload to ${destination}`} />
      {progress ? (
        <p className="transfer-line">
          {formatSize(progress.bytesSent)} of {formatSize(progress.bytes)} · {progress.filesSent} of{' '}
          {progress.files} sent
        </p>
      ) : null}
      {upload.error ? (
        <div className="transfer-error" role="alert">
          <span>{upload.error}</span>
          <button type="button" className="button button-small button-secondary" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
    </section>
  );
}

function ActionButtons({
  actions,
  subject,
  onControl,
}: {
  actions: Actions;
  /** Named in each button's label: `Pause report.pdf`. */
  subject: string;
  onControl: (action: Control['action']) => void;
}) {
  const button = (action: Control['action'], label: string) => (
    <button
      type="button"
      className="button button-small button-secondary"
      aria-label={`${label} ${subject}`}
      onClick={() => onControl(action)}
    >
      {label}
    </button>
  );
  return (
    <div className="transfer-actions">
      {actions.pause ? button('pause', 'Pause') : null}
      {actions.resume ? button('resume', 'Resume') : null}
      {actions.retry ? button('retry', 'Retry') : null}
      {actions.cancel ? button('cancel', 'Cancel') : null}
    </div>
  );
}

function BatchCard({
  batch,
  jobs,
  destination,
  onControl,
  onDecide,
  deciding,
  decideError,
}: {
  batch: TransferBatchDto;
  jobs: readonly TransferJobDto[];
  destination: string;
  onControl: (args: Control) => void;
  onDecide: (conflict: ConflictChoiceDto, remember: boolean) => void;
  deciding: boolean;
  decideError: string | null;
}) {
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const phase = batchPhase(batch);
  const counts = countJobs(jobs.filter((job) => job.kind === 'file'));
  const failedJobs = jobs.filter((job) => job.state === 'failed');
  const title = batchTitle(batch, jobs, destination);
  const value = batchPercent(batch);
  const line = batchProgressLine(batch);
  return (
    <section
      className="transfer-card"
      data-testid="transfer-batch"
      data-batch-id={batch.id}
      data-phase={phase}
      aria-label={title}
    >
      <div className="transfer-card-head">
        <h3 className="transfer-card-title">{title}</h3>
        <span className="transfer-state" data-testid="batch-state">
          {batchPhaseLabel(phase)}
        </span>
      </div>
      <ProgressBar value={value} label={`Progress of ${title}`} />
      {line ? <p className="transfer-line">{line}</p> : null}
      <p className="transfer-line transfer-counts">
        {counts.total > 0 ? formatCounts(counts) : formatCount(batch.files, 'file')}
      </p>
      {batch.state === 'needs-decision' ? (
        <ConflictPrompt
          batch={batch}
          destination={destination}
          busy={deciding}
          error={decideError}
          onDecide={onDecide}
        />
      ) : null}
      {failedJobs.length > 0 ? (
        <p className="transfer-error" role="alert">
          {failedJobs.length === 1
            ? `${displayName(failedJobs[0]!.name)}: ${failedJobs[0]!.error?.message ?? 'failed'}`
            : `${failedJobs.length} files failed; show the files for why.`}
        </p>
      ) : null}
      <div className="transfer-card-foot">
        <ActionButtons
          actions={batchActions(batch, failedJobs.length)}
          subject="this batch"
          onControl={(action) => onControl({ action, batchId: batch.id })}
        />
        {jobs.length > 0 ? (
          <button
            type="button"
            className="button button-small button-link"
            aria-expanded={expanded}
            aria-controls={listId}
            onClick={() => setExpanded((value) => !value)}
          >
            {expanded ? 'Hide files' : `Show files (${jobs.length.toLocaleString()})`}
          </button>
        ) : null}
      </div>
      {expanded ? (
        <ul className="transfer-jobs" id={listId} aria-label={`Files of ${title}`}>
          {jobs.slice(0, shownJobs).map((job) => (
            <JobRow key={job.id} job={job} onControl={(action) => onControl({ action, jobId: job.id })} />
          ))}
          {jobs.length > shownJobs ? (
            <li className="transfer-more">and {(jobs.length - shownJobs).toLocaleString()} more</li>
          ) : null}
        </ul>
      ) : null}
    </section>
  );
}

function JobRow({ job, onControl }: { job: TransferJobDto; onControl: (action: Control['action']) => void }) {
  const now = useNow();
  const name = displayName(job.destName);
  const state = jobStateLabel(job, now);
  return (
    <li className="transfer-job" data-testid="transfer-job" data-state={job.state} data-kind={job.kind}>
      <div className="transfer-job-head">
        <span className="transfer-job-name" title={job.renamedBecause ?? undefined}>
          {name}
          {job.destName !== job.name ? (
            <span className="transfer-job-renamed"> (was {displayName(job.name)})</span>
          ) : null}
        </span>
        <span className="transfer-job-state">{state}</span>
      </div>
      {job.kind === 'file' && !isJobEnded(job) ? (
        <ProgressBar value={jobPercent(job)} label={`Progress of ${name}`} />
      ) : null}
      {job.error && job.state === 'failed' ? (
        <p className="transfer-error" role="alert">
          {job.error.message}
        </p>
      ) : job.error && job.retryAt !== null ? (
        <p className="transfer-note">{job.error.message}</p>
      ) : null}
      {job.note ? <p className="transfer-note">{job.note}</p> : null}
      <ActionButtons actions={jobActions(job)} subject={name} onControl={onControl} />
    </li>
  );
}

function ConflictPrompt({
  batch,
  destination,
  busy,
  error,
  onDecide,
}: {
  batch: TransferBatchDto;
  destination: string;
  busy: boolean;
  error: string | null;
  onDecide: (conflict: ConflictChoiceDto, remember: boolean) => void;
}) {
  const [remember, setRemember] = useState(false);
  const headingId = useId();
  const names = batch.conflicts;
  const shown = names.slice(0, 8);
  return (
    <div className="conflict-prompt" role="group" aria-labelledby={headingId} data-testid="conflict-prompt">
      <p className="conflict-title" id={headingId}>
        {names.length === 1
          ? `“${displayName(names[0]!)}” already exists in ${destination}.`
          : `${names.length.toLocaleString()} names already exist in ${destination}.`}
      </p>
      {names.length > 1 ? (
        <ul className="conflict-names">
          {shown.map((name) => (
            <li key={name}>{displayName(name)}</li>
          ))}
          {names.length > shown.length ? <li>and {names.length - shown.length} more</li> : null}
        </ul>
      ) : null}
      <div className="conflict-actions">
        {conflictButtons.map(({ choice, label, title, secondary }) => (
          <button
            key={choice}
            type="button"
            className={`button button-small${secondary ? ' button-secondary' : ''}`}
            disabled={busy}
            title={title}
            onClick={() => onDecide(choice, remember)}
          >
            {label}
          </button>
        ))}
      </div>
      <label className="conflict-remember">
        <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
        Remember my choice
      </label>
      {error ? (
        <p className="transfer-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
