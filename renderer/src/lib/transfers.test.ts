import { describe, expect, it } from 'vitest';
import type { TransferBatchDto, TransferJobDto } from '../../../common/transfers';
import {
  activeJobCount,
  batchActions,
  batchPercent,
  batchPhase,
  batchProgressLine,
  batchTitle,
  countJobs,
  destinationLabel,
  finishedMessage,
  formatCounts,
  formatRate,
  formatTimeLeft,
  jobActions,
  jobPercent,
  jobStateLabel,
  jobsByBatch,
  newestFirst,
  percent,
  wantsSystemNotification,
} from './transfers';

const batch = (patch: Partial<TransferBatchDto> = {}): TransferBatchDto => ({
  id: 'b1',
  op: 'copy',
  state: 'ready',
  destination: { accountId: 'dbx', folderId: 'root' },
  createdAt: 1000,
  finishedAt: null,
  summary: null,
  files: 3,
  bytes: 3000,
  bytesDone: 0,
  rate: 0,
  open: 3,
  paused: 0,
  conflicts: [],
  ...patch,
});

const job = (patch: Partial<TransferJobDto> = {}): TransferJobDto => ({
  id: 1,
  batchId: 'b1',
  kind: 'file',
  name: 'a.txt',
  destName: 'a.txt',
  size: 1000,
  bytesDone: 0,
  state: 'queued',
  paused: null,
  method: 'stream',
  retryAt: null,
  parentJob: null,
  renamedBecause: null,
  verified: [],
  sha256: null,
  error: null,
  note: null,
  ...patch,
});

const accounts = [{ id: 'dbx', name: 'Dropbox' }];

describe('percent', () => {
  it('floors, and reads 100 only once ended', () => {
    expect(percent(0, 100)).toBe(0);
    expect(percent(50, 200)).toBe(25);
    expect(percent(100, 100)).toBe(99);
    expect(percent(100, 100, true)).toBe(100);
    expect(percent(0, 0)).toBe(0);
    expect(percent(0, 0, true)).toBe(100);
    expect(percent(-5, 10)).toBe(0);
  });
});

describe('batchPercent', () => {
  it('goes by bytes', () => {
    expect(batchPercent(batch({ bytesDone: 1500 }))).toBe(50);
    expect(batchPercent(batch({ state: 'finished', bytesDone: 3000, open: 0 }))).toBe(100);
  });
  it('goes by files when they have no bytes', () => {
    expect(batchPercent(batch({ bytes: 0, files: 4, open: 1 }))).toBe(75);
    expect(batchPercent(batch({ bytes: 0, files: 0, open: 0, state: 'finished' }))).toBe(100);
  });
});

describe('jobPercent', () => {
  it('follows the bytes sent and is 100 once done', () => {
    expect(jobPercent(job({ bytesDone: 250 }))).toBe(25);
    expect(jobPercent(job({ state: 'done', bytesDone: 1000 }))).toBe(100);
    expect(jobPercent(job({ kind: 'folder', size: null, state: 'creating' }))).toBe(0);
  });
});

describe('rate and time left', () => {
  it('formats a rate, empty at rest', () => {
    expect(formatRate(1_500_000)).toBe('1.5 MB/s');
    expect(formatRate(0)).toBe('');
  });
  it('formats seconds, minutes and hours', () => {
    expect(formatTimeLeft(0.2)).toBe('1 s left');
    expect(formatTimeLeft(42)).toBe('42 s left');
    expect(formatTimeLeft(61)).toBe('2 min left');
    expect(formatTimeLeft(3600)).toBe('1 h left');
    expect(formatTimeLeft(3900)).toBe('1 h 5 min left');
    expect(formatTimeLeft(null)).toBe('');
    expect(formatTimeLeft(Number.POSITIVE_INFINITY)).toBe('');
  });
  it('puts bytes, rate and time left on one line while moving', () => {
    expect(batchProgressLine(batch({ bytesDone: 1000, rate: 500 }))).toBe(
      '1 KB of 3 KB · 500 bytes/s · 4 s left',
    );
    expect(batchProgressLine(batch({ bytesDone: 1000, rate: 500, paused: 3 }))).toBe('1 KB of 3 KB');
    expect(batchProgressLine(batch({ state: 'finished', bytesDone: 3000, rate: 0, open: 0 }))).toBe(
      '3 KB of 3 KB',
    );
  });
});

describe('batchPhase', () => {
  it('tells running, paused, waiting, done, failed and cancelled apart', () => {
    expect(batchPhase(batch())).toBe('running');
    expect(batchPhase(batch({ paused: 3 }))).toBe('paused');
    expect(batchPhase(batch({ paused: 1 }))).toBe('running');
    expect(batchPhase(batch({ state: 'needs-decision' }))).toBe('needs-decision');
    expect(batchPhase(batch({ state: 'planning' }))).toBe('planning');
    expect(
      batchPhase(
        batch({ state: 'finished', summary: { done: 3, skipped: 0, failed: 0, cancelled: 0, bytes: 3 } }),
      ),
    ).toBe('done');
    expect(
      batchPhase(
        batch({ state: 'finished', summary: { done: 2, skipped: 0, failed: 1, cancelled: 0, bytes: 3 } }),
      ),
    ).toBe('failed');
    expect(batchPhase(batch({ state: 'cancelled' }))).toBe('cancelled');
  });
});

describe('titles', () => {
  it('names the one item, or counts files and items', () => {
    expect(batchTitle(batch(), [job()], 'Dropbox')).toBe('Copying “a.txt” to Dropbox');
    expect(batchTitle(batch({ op: 'move', state: 'finished' }), [job()], 'Dropbox')).toBe(
      'Moved “a.txt” to Dropbox',
    );
    expect(batchTitle(batch(), [job(), job({ id: 2, name: 'b' }), job({ id: 3, name: 'c' })], 'X')).toBe(
      'Copying 3 files to X',
    );
    expect(
      batchTitle(batch({ files: 7 }), [job(), job({ id: 2, kind: 'folder', name: 'Photos' })], 'X'),
    ).toBe('Copying 2 items to X');
    expect(batchTitle(batch({ files: 1 }), [], 'X')).toBe('Copying 1 file to X');
    expect(batchTitle(batch({ state: 'planning', files: 0 }), [], 'X')).toBe('Preparing to copy to X');
  });
  it('names the destination account or local folder', () => {
    expect(destinationLabel({ accountId: 'dbx', folderId: 'r' }, accounts)).toBe('Dropbox');
    expect(destinationLabel({ accountId: 'gone', folderId: 'r' }, accounts)).toBe('another account');
    expect(destinationLabel({ path: '/home/me/Downloads' }, accounts)).toBe('/home/me/Downloads');
  });
});

describe('counts', () => {
  it('counts each ended state, paused and active', () => {
    const counts = countJobs([
      job({ state: 'done' }),
      job({ state: 'failed' }),
      job({ state: 'skipped' }),
      job({ state: 'copying' }),
      job({ state: 'queued', paused: 'user' }),
      job({ state: 'cancelled' }),
    ]);
    expect(counts).toEqual({ total: 6, done: 1, skipped: 1, failed: 1, cancelled: 1, active: 1, paused: 1 });
    expect(formatCounts(counts)).toBe('1 of 6 done · 1 failed · 1 skipped · 1 cancelled · 1 paused');
  });
  it('badges the jobs not ended of open batches', () => {
    expect(
      activeJobCount([batch({ open: 2 }), batch({ state: 'finished', open: 0 }), batch({ open: 5 })]),
    ).toBe(7);
  });
  it('groups jobs by batch and orders batches newest first', () => {
    const grouped = jobsByBatch([job({ id: 1 }), job({ id: 2, batchId: 'b2' }), job({ id: 3 })]);
    expect(grouped.get('b1')?.map((entry) => entry.id)).toEqual([1, 3]);
    expect(grouped.get('b2')?.map((entry) => entry.id)).toEqual([2]);
    expect(
      newestFirst([batch({ id: 'old', createdAt: 1 }), batch({ id: 'new', createdAt: 9 })]).map((b) => b.id),
    ).toEqual(['new', 'old']);
  });
});

describe('job states and actions', () => {
  it('says why a job waits', () => {
    expect(jobStateLabel(job({ state: 'copying' }), 0)).toBe('Copying');
    expect(jobStateLabel(job({ state: 'copying', method: 'server-copy' }), 0)).toBe('Copying on the server');
    expect(jobStateLabel(job({ paused: 'quota' }), 0)).toBe('Paused: the destination is full');
    expect(jobStateLabel(job({ paused: 'needs_reconnect' }), 0)).toBe(
      'Paused: the account needs reconnecting',
    );
    expect(jobStateLabel(job({ retryAt: 5_000 }), 1_000)).toBe('Retrying in 4 s');
    expect(jobStateLabel(job({ state: 'failed', retryAt: 5_000 }), 1_000)).toBe('Failed');
  });
  it('offers what applies to a job', () => {
    expect(jobActions(job({ state: 'copying' }))).toEqual({
      pause: true,
      resume: false,
      cancel: true,
      retry: false,
    });
    expect(jobActions(job({ paused: 'user' }))).toEqual({
      pause: false,
      resume: true,
      cancel: true,
      retry: false,
    });
    expect(jobActions(job({ state: 'failed' }))).toEqual({
      pause: false,
      resume: false,
      cancel: false,
      retry: true,
    });
    expect(jobActions(job({ state: 'done' }))).toEqual({
      pause: false,
      resume: false,
      cancel: false,
      retry: false,
    });
  });
  it('offers what applies to a batch', () => {
    expect(batchActions(batch(), 0)).toEqual({ pause: true, resume: false, cancel: true, retry: false });
    expect(batchActions(batch({ paused: 3 }), 0)).toEqual({
      pause: false,
      resume: true,
      cancel: true,
      retry: false,
    });
    expect(batchActions(batch({ state: 'needs-decision' }), 0)).toMatchObject({ pause: false, cancel: true });
    expect(
      batchActions(
        batch({
          state: 'finished',
          open: 0,
          summary: { done: 1, skipped: 0, failed: 2, cancelled: 0, bytes: 0 },
        }),
        2,
      ),
    ).toEqual({ pause: false, resume: false, cancel: false, retry: true });
  });
});

describe('finishedMessage', () => {
  const finished = (
    summary: NonNullable<TransferBatchDto['summary']>,
    patch: Partial<TransferBatchDto> = {},
  ) => batch({ state: 'finished', open: 0, summary, ...patch });
  it('says what arrived where', () => {
    expect(
      finishedMessage(finished({ done: 3, skipped: 0, failed: 0, cancelled: 0, bytes: 9 }), 'Dropbox'),
    ).toEqual({
      text: 'Copied 3 files to Dropbox',
      tone: 'success',
    });
    expect(
      finishedMessage(
        finished({ done: 1, skipped: 0, failed: 0, cancelled: 0, bytes: 9 }, { op: 'move', files: 1 }),
        'Work',
      ),
    ).toEqual({ text: 'Moved 1 file to Work', tone: 'success' });
  });
  it('mentions failures and skips', () => {
    expect(
      finishedMessage(finished({ done: 2, skipped: 1, failed: 1, cancelled: 0, bytes: 9 }), 'Dropbox'),
    ).toEqual({
      text: 'Copied 2 items to Dropbox (1 skipped, 1 failed)',
      tone: 'warning',
    });
    expect(
      finishedMessage(finished({ done: 0, skipped: 0, failed: 2, cancelled: 0, bytes: 0 }), 'Dropbox'),
    ).toEqual({
      text: 'Could not copy 2 items to Dropbox',
      tone: 'error',
    });
  });
  it('says a cancelled batch was cancelled', () => {
    expect(
      finishedMessage(
        batch({ state: 'cancelled', summary: { done: 1, skipped: 0, failed: 0, cancelled: 2, bytes: 0 } }),
        'X',
      ),
    ).toEqual({ text: 'Cancelled the copy to X (1 item copied)', tone: 'warning' });
  });
});

describe('wantsSystemNotification', () => {
  it('only while hidden and allowed', () => {
    expect(wantsSystemNotification(true, 'granted')).toBe(true);
    expect(wantsSystemNotification(false, 'granted')).toBe(false);
    expect(wantsSystemNotification(true, 'default')).toBe(false);
    expect(wantsSystemNotification(true, null)).toBe(false);
  });
});
