/**
 * For journal.test.ts: a process that writes to the journal as fast as it can and says which writes
 * were acknowledged, until it is killed. argv: the state.db path, the job id. Each line on stdout,
 * `ack N`, is printed after the commit that set the job's attempt to N resolved (group commits,
 * several per line), so every N printed must be on disk whatever instant the kill lands.
 */
import { openDatabase } from '../index/database';
import { stateMigrations } from '../index/migrations';
import { TransferJournal } from './journal';

const [file, job] = process.argv.slice(2);
const journal = new TransferJournal(
  openDatabase(file!, { migrations: stateMigrations, synchronous: 'FULL' }),
);
const jobId = Number(job);
let attempt = journal.job(jobId)!.attempt;
for (;;) {
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 5; i++) {
    const next = ++attempt;
    writes.push(journal.commit(() => journal.updateJob(jobId, { attempt: next, note: `note ${next}` })));
  }
  await Promise.all(writes);
  process.stdout.write(`ack ${attempt}\n`);
}
