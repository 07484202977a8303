/**
 * The batch reports of cp, mv and `transfers resume`, from made-up journal DTOs: counts, verified
 * hashes, renames without a plan, failures and open jobs, and the exit status they lead to.
 */
import { describe, expect, it } from 'vitest';
import type { TransferBatchDto, TransferJobDto, TransferPlanDto } from '../../common/transfers';
import { batchReport, reportText, transferEnding } from './transfer-report';

const batch = (patch: Partial<TransferBatchDto> = {}): TransferBatchDto => ({
  id: 'b1',
  op: 'copy',
  state: 'finished',
  destination: { path: '/dest' },
  createdAt: 0,
  finishedAt: 1,
  summary: null,
  files: 0,
  bytes: 0,
  bytesDone: 0,
  rate: 0,
  open: 0,
  paused: 0,
  conflicts: [],
  ...patch,
});

let nextId = 1;
const job = (patch: Partial<TransferJobDto>): TransferJobDto => ({
  id: nextId++,
  batchId: 'b1',
  kind: 'file',
  name: 'f',
  destName: patch.name ?? 'f',
  size: 10,
  bytesDone: 0,
  state: 'done',
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

const plan: TransferPlanDto = {
  batchId: 'b1',
  files: 3,
  folders: 1,
  bytes: 30,
  renamed: [{ from: 'a:b', to: 'a_b', reason: 'the destination refuses ":"' }],
  refused: [{ name: 'huge.iso', reason: 'larger than the destination allows' }],
  skipped: [{ name: 'taken.txt', reason: '"taken.txt" exists at the destination' }],
  conflicts: [],
};

describe('batchReport', () => {
  it('counts files and folders, lists verified hashes and failures, takes left-out items from the plan', () => {
    const jobs = [
      job({ kind: 'folder', name: 'dir', size: null }),
      job({ name: 'a:b', destName: 'a_b', verified: [{ type: 'sha256', value: 'aa' }], sha256: 'aa' }),
      job({ name: 'c', verified: [{ type: 'md5', value: 'cc' }] }),
      job({ name: 'bad', state: 'failed', error: { code: 'permanent', message: 'the disk is full' } }),
      job({ batchId: 'other', name: 'elsewhere' }),
    ];
    const report = batchReport(batch(), jobs, plan);
    expect(report).toEqual({
      batchId: 'b1',
      op: 'copy',
      state: 'finished',
      files: { done: 2, skipped: 1, failed: 1 },
      folders: 1,
      bytes: 20,
      verified: [
        { src: 'a:b', dest: 'a_b', sha256: 'aa', compared: [{ type: 'sha256', value: 'aa' }] },
        { src: 'c', dest: 'c', sha256: null, compared: [{ type: 'md5', value: 'cc' }] },
      ],
      renamed: plan.renamed,
      refused: plan.refused,
      skipped: plan.skipped,
      failures: [{ src: 'bad', code: 'permanent', message: 'the disk is full' }],
      pending: 0,
      paused: 0,
    });
    expect(reportText(report, 'Backup:/x')).toBe(
      'Copied 2 files and 1 folder (20 B) to Backup:/x, all verified; 1 failed  [b1]\n' +
        '  renamed  a:b -> a_b (the destination refuses ":")\n' +
        '  refused  huge.iso (larger than the destination allows)\n' +
        '  skipped  taken.txt ("taken.txt" exists at the destination)\n',
    );
    expect(transferEnding([report])).toEqual({ lines: ['bad: the disk is full'], status: 1 });
  });

  it('without a plan (resume), finds renames from the jobs and counts open and paused jobs', () => {
    const report = batchReport(batch({ op: 'move', state: 'ready', finishedAt: null }), [
      job({ name: 'x', destName: 'x (1)', state: 'done' }),
      job({ name: 'y', state: 'copying', paused: 'needs_reconnect' }),
      job({ name: 'z', state: 'queued' }),
    ]);
    expect(report).toMatchObject({
      files: { done: 1, skipped: 0, failed: 0 },
      renamed: [{ from: 'x', to: 'x (1)' }],
      refused: [],
      pending: 2,
      paused: 1,
    });
    expect(reportText(report, '/dest')).toMatch(/^Moved 1 file \(10 B\) to \/dest {2}\[b1\]\n/);
    const ending = transferEnding([report]);
    expect(ending.status).toBe(3);
    expect(ending.lines).toEqual([
      'batch b1 has 2 items not finished, 1 paused (by a pause, a lost sign-in or a full destination); ' +
        'see: skyfold transfers list, then skyfold transfers resume',
    ]);
  });

  it('ends with status 0 when everything went through, 3 when a batch waits for a decision', () => {
    expect(transferEnding([batchReport(batch(), [job({})])])).toEqual({ lines: [], status: 0 });
    const waiting = batchReport(batch({ state: 'needs-decision' }), [job({ state: 'queued' })]);
    expect(transferEnding([waiting])).toMatchObject({
      status: 3,
      lines: [expect.stringMatching(/decision/)],
    });
  });
});
