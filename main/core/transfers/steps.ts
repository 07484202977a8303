/**
 * The steps of one transfer job, from the state the journal holds to the next (docs/design/
 * transfers.md §1.2, §1.4). The same code runs the first time and after a crash: every step first
 * looks at the world (is our file already at the destination?) and only then acts, and every state
 * that authorizes a side effect is committed before the effect starts. So a job killed at any
 * instant leaves its file once at the source, or verified at the destination, never lost and never
 * twice.
 *
 * File jobs: queued -> copying -> verifying -> verified -> done (a move trashes the source last,
 * only once `verified` is durable, and only when the source still is the file that was copied).
 * Folder jobs: queued -> creating -> created -> done (a copy at once; a move once every child job
 * ended, trashing the source folder only when it is empty).
 *
 * Errors: what providers throw; the engine decides retries (scheduler.ts `afterFailure`).
 */
import { SkyfoldError } from '../../../common/errors';
import { exportFormatsFor } from '../../../common/export-formats';
import { numberedName } from '../../../common/names';
import { StoredBytesMismatch } from '../providers/stored-bytes';
import type { Provider, ProviderItem } from '../providers/types';
import { HashSet } from './hash-set';
import { terminalJobStates, type Batch, type Job, type TransferJournal } from './journal';
import { reopeningSource } from './reopen-source';
import { streamFile } from './stream-file';
import type { TokenBucket } from './token-bucket';
import { checkDestination, type Hashes } from './verify';

/** Copies that fail verification this many times fail the job (each bad copy is removed). */
export const maxVerifyFailures = 3;

export interface StepContext {
  journal: TransferJournal;
  /** The provider of an endpoint (`{"account": id}`). */
  provider(endpoint: string): Promise<Provider>;
  bucket?: TokenBucket;
  onProgress?: (jobId: number, bytes: number) => void;
  /** Interrupts the job (a pause or a cancel): it stops between steps, and streams stop at once. */
  signal?: AbortSignal;
}

/** Runs a job's steps until it ends or waits (a folder move waiting for its children). Returns it as it is then. */
export async function runJob(job: Job, batch: Batch, context: StepContext): Promise<Job> {
  let current = job;
  // A job takes a handful of steps; many more means the world keeps contradicting it (a name
  // that is taken for writes but never found by lookups): give up this attempt.
  for (let steps = 0; steps < maxSteps; steps++) {
    context.signal?.throwIfAborted();
    const next = await step(current, batch, context);
    if (next === null) return current;
    current = next;
  }
  throw new SkyfoldError(
    'transient',
    `"${job.srcName}": the destination keeps refusing the name "${current.destName}"`,
  );
}

const maxSteps = 50;

/** One step; null when the job ended or waits. */
async function step(job: Job, batch: Batch, context: StepContext): Promise<Job | null> {
  const { journal } = context;
  const set = (patch: Parameters<TransferJournal['updateJob']>[1]): Job => {
    journal.updateJob(job.id, patch);
    return journal.job(job.id)!;
  };
  /**
   * For writes that authorize nothing: committed with the other jobs' writes of this moment (one
   * fsync for several jobs). Lost in a crash, the step is taken again, and it looks before it acts.
   */
  const setGrouped = async (patch: Parameters<TransferJournal['updateJob']>[1]): Promise<Job> => {
    await journal.commit(() => journal.updateJob(job.id, patch));
    return journal.job(job.id)!;
  };
  switch (job.state) {
    case 'queued':
      // A first write never replaces anything but by plan, and a later attempt looks first: losing
      // this in a crash only means the attempt is counted again.
      return setGrouped({ state: firstState(job), attempt: job.attempt + 1 });
    case 'relocating':
      return serverMove(job, batch, context, set);
    case 'copying':
      return job.method === 'server-copy'
        ? serverCopy(job, batch, context, set)
        : copyFile(job, batch, context, set, setGrouped);
    case 'verifying':
      return verifyFile(job, batch, context, set);
    case 'verified':
      return finishFile(job, batch, context, set);
    case 'creating':
      return createFolder(job, batch, context);
    case 'created':
      return batch.op === 'copy' ? set({ state: 'done' }) : finishFolderMove(job, batch, context, set);
    default:
      return null;
  }
}

type Setter = (patch: Parameters<TransferJournal['updateJob']>[1]) => Job;

function firstState(job: Job): Job['state'] {
  if (job.method === 'server-move') return 'relocating';
  return job.kind === 'folder' ? 'creating' : 'copying';
}

/**
 * Moves an item within its account by the provider's own move (a folder with everything in it).
 * Looks first: an item already at the destination under our name while the source is gone (a move
 * whose answer was lost, or a crash after it) is the moved item. A `replace` sends the item in the
 * way to the trash first. Nothing is copied, so nothing needs verifying.
 */
async function serverMove(job: Job, batch: Batch, context: StepContext, set: Setter): Promise<Job | null> {
  const provider = await context.provider(batch.dest);
  const parentId = requireParent(job);
  const there = await childrenNamed(provider, parentId, job.destName);
  if (there.some((item) => item.id === job.srcId)) return set({ state: 'done', destId: job.srcId });
  let sourceThere = true;
  try {
    await provider.stat(job.srcId);
  } catch (error) {
    if (!(error instanceof SkyfoldError && error.code === 'not_found')) throw error;
    sourceThere = false;
  }
  if (!sourceThere) {
    // Local ids are paths, so they change with a move: there, a namesake of the right kind left
    // by a move whose record was lost is the moved item. Cloud ids do not change.
    const moved = provider.kind === 'local' ? there.find((item) => item.kind === job.kind) : undefined;
    if (moved) return set({ state: 'done', destId: moved.id });
    throw new SkyfoldError('not_found', `"${job.srcName}" is gone from the source`);
  }
  if (there.length > 0) {
    if (job.conflict === 'skip')
      return set({ state: 'skipped', note: `"${job.destName}" exists at the destination` });
    // Only a file replaces a file (it goes to the trash, recoverable); anything else in the way
    // keeps its name and the moved item takes a free one.
    const replaceable =
      job.conflict === 'replace' && there.every((item) => item.kind === 'file' && job.kind === 'file');
    if (!replaceable) return set({ destName: await freeName(provider, parentId, job.destName) });
    for (const item of there) await provider.trash(item.id);
  }
  try {
    const moved = await provider.move(job.srcId, { parentId, name: job.destName, conflict: 'fail' });
    return set({ state: 'done', destId: moved.id });
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'conflict')
      return set({ attempt: Math.max(job.attempt, 2) }); // look again
    throw error;
  }
}

/**
 * Copies a file within its account by the provider's own copy (no byte passes through this
 * computer), then verifies it like a streamed copy: the copy's hashes against the source's. A later
 * attempt first adopts a copy of ours left by a lost answer or a crash.
 */
async function serverCopy(job: Job, batch: Batch, context: StepContext, set: Setter): Promise<Job | null> {
  const provider = await context.provider(batch.dest);
  const parentId = requireParent(job);
  const file = await provider.stat(job.srcId);
  if (exportFormatsFor(file.mimeType).length > 0) return copyDocument(job, provider, file, parentId, set);
  const expected = await sourceHashes(provider, file);
  const there = job.attempt > 1 ? await childrenNamed(provider, parentId, job.destName) : [];
  const ours = there.find(
    (item) =>
      item.kind === 'file' &&
      item.id !== file.id &&
      item.size === file.size &&
      checkDestination(expected, item.hashes).matched.length > 0 &&
      checkDestination(expected, item.hashes).mismatched.length === 0,
  );
  if (ours) return set({ state: 'verifying', destId: ours.id, destHashes: ours.hashes, computed: expected });
  if (there.length > 0) {
    if (job.conflict === 'skip')
      return set({ state: 'skipped', note: `"${job.destName}" exists at the destination` });
    if (job.conflict === 'rename') return set({ destName: await freeName(provider, parentId, job.destName) });
    for (const item of there) await provider.trash(item.id);
  }
  try {
    const copied = await provider.copy!(job.srcId, { parentId, name: job.destName, conflict: 'fail' });
    return set({ state: 'verifying', destId: copied.id, destHashes: copied.hashes, computed: expected });
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'conflict')
      return set({ attempt: Math.max(job.attempt, 2) }); // look again
    throw error;
  }
}

/**
 * Copies a Google-native document within Drive (it has no bytes, so no hash to verify). A later
 * attempt takes a document of the same type under our name as the copy (ours, from a lost answer);
 * anything else there follows the conflict choice.
 */
async function copyDocument(
  job: Job,
  provider: Provider,
  source: ProviderItem,
  parentId: string,
  set: Setter,
): Promise<Job | null> {
  const done = (id: string) =>
    set({ state: 'verified', destId: id, note: 'a Google document: no bytes to verify' });
  const there = job.attempt > 1 ? await childrenNamed(provider, parentId, job.destName) : [];
  const ours = there.find((item) => item.id !== source.id && item.mimeType === source.mimeType);
  if (ours) return done(ours.id);
  if (there.length > 0) {
    if (job.conflict === 'skip')
      return set({ state: 'skipped', note: `"${job.destName}" exists at the destination` });
    if (job.conflict === 'rename') return set({ destName: await freeName(provider, parentId, job.destName) });
    for (const item of there.filter((candidate) => candidate.kind === 'file')) await provider.trash(item.id);
  }
  try {
    return done((await provider.copy!(job.srcId, { parentId, name: job.destName, conflict: 'fail' })).id);
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'conflict')
      return set({ attempt: Math.max(job.attempt, 2) }); // look again
    throw error;
  }
}

/** The hashes a file's provider reports for it, asking for one when its listing carried none. */
async function sourceHashes(provider: Provider, file: ProviderItem): Promise<Hashes> {
  const known = Object.fromEntries(
    provider.features.hashTypes.flatMap((type) => (file.hashes[type] ? [[type, file.hashes[type]]] : [])),
  ) as Hashes;
  if (Object.keys(known).length > 0) return known;
  const type = provider.features.hashTypes[0];
  if (!type)
    throw new SkyfoldError('permanent', `"${file.name}": its provider reports no hash to verify a copy`);
  return { [type]: await provider.hash(file.id, type) };
}

async function copyFile(
  job: Job,
  batch: Batch,
  context: StepContext,
  set: Setter,
  setGrouped: (patch: Parameters<TransferJournal['updateJob']>[1]) => Promise<Job>,
): Promise<Job | null> {
  const source = await context.provider(job.src);
  const destination = await context.provider(batch.dest);
  const parentId = requireParent(job);
  // A first attempt trusts the plan (it just listed both ends): no request before the write. The
  // write fails on a taken name and the tee on another size, and later attempts look first.
  const first = job.attempt <= 1 && (await context.journal.checkpointFor(job.id).load()) === null;
  const file = first ? plannedFile(job) : asStreamed(await source.stat(job.srcId));
  const there = first ? [] : await childrenNamed(destination, parentId, job.destName);
  if (there.length > 0) {
    // Ours, from before a crash? Then its bytes are the source's: adopt it.
    const ours = await findOurs(there, file, source, destination, context.signal);
    if (ours)
      return set({
        state: 'verifying',
        destId: ours.item.id,
        destHashes: ours.item.hashes,
        computed: ours.computed,
      });
    if (job.conflict === 'skip')
      return set({ state: 'skipped', note: `"${job.destName}" exists at the destination` });
    if (job.conflict === 'rename')
      return set({ destName: await freeName(destination, parentId, job.destName) });
  }
  const replacing = there.length > 0 && job.conflict === 'replace';
  let copied;
  try {
    copied = await streamFile({
      source,
      file,
      destination,
      parentId,
      name: job.destName,
      conflict: replacing ? 'replace' : 'fail',
      checkpoint: context.journal.checkpointFor(job.id),
      ...(context.signal ? { signal: context.signal } : {}),
      ...(context.bucket ? { bucket: context.bucket } : {}),
      ...(context.onProgress ? { onProgress: (bytes: number) => context.onProgress!(job.id, bytes) } : {}),
    });
  } catch (error) {
    // Someone took the name meanwhile (or our own lost answer): look again, as a later attempt.
    if (error instanceof SkyfoldError && error.code === 'conflict')
      return set({ attempt: Math.max(job.attempt, 2) });
    // The destination stored other bytes (and dropped them): a failed verification.
    if (error instanceof StoredBytesMismatch) {
      await context.journal.checkpointFor(job.id).clear();
      return badCopy(job, set, error.message);
    }
    throw error;
  }
  const result = { destId: copied.item.id, destHashes: copied.item.hashes, computed: copied.computed };
  if (copied.check.matched.length > 0 && copied.check.mismatched.length === 0) {
    // Verified by the write's own answer. A copy is done (lost in a crash, a later attempt finds
    // and adopts the file); a move's `verified` authorizes trashing the source: durable first.
    return batch.op === 'copy'
      ? setGrouped({ state: 'done', ...result })
      : set({ state: 'verified', ...result });
  }
  return set({ state: 'verifying', ...result });
}

async function verifyFile(job: Job, batch: Batch, context: StepContext, set: Setter): Promise<Job | null> {
  const destination = await context.provider(batch.dest);
  const computed = job.computed ?? {};
  let check = checkDestination(computed, job.destHashes ?? {});
  if (check.matched.length === 0 && check.mismatched.length === 0) {
    // The write's answer carried no comparable hash: ask for one the destination has.
    const type = destination.features.hashTypes.find((t) => computed[t] !== undefined);
    if (type) check = checkDestination(computed, { [type]: await destination.hash(job.destId!, type) });
  }
  if (check.mismatched.length === 0 && check.matched.length > 0) return set({ state: 'verified' });
  // Bad bytes (or nothing to compare): the copy goes, the source stays, and the copy is made again.
  await removeCopy(destination, job.destId!);
  return badCopy(
    job,
    set,
    check.mismatched.length > 0
      ? `the copy's ${check.mismatched.join(', ')} differ from the bytes sent`
      : 'the destination reports no hash to compare',
  );
}

/**
 * Counts a copy that failed verification (already removed): copied again, or, the
 * `maxVerifyFailures`-th time, failed with `why` (the source is kept).
 */
function badCopy(job: Job, set: Setter, why: string): Job {
  const failures = job.verifyFailures + 1;
  if (failures >= maxVerifyFailures) {
    return set({
      state: 'failed',
      verifyFailures: failures,
      destId: null,
      note: `${why}; the source is kept`,
      error: {
        code: 'permanent',
        message: `${failures} copies failed verification: ${why}; the source is kept`,
      },
    });
  }
  return set({
    state: 'copying',
    verifyFailures: failures,
    attempt: Math.max(job.attempt, 2),
    destId: null,
    destHashes: null,
    computed: null,
  });
}

async function finishFile(job: Job, batch: Batch, context: StepContext, set: Setter): Promise<Job | null> {
  if (batch.op === 'copy') return set({ state: 'done' });
  const source = await context.provider(job.src);
  let now: ProviderItem;
  try {
    now = await source.stat(job.srcId);
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'not_found') return set({ state: 'done' });
    throw error;
  }
  // A Google document left Drive as an export (no comments, history or sharing): it stays.
  if (exportFormatsFor(now.mimeType).length > 0)
    return set({ state: 'done', note: 'a Google document: the copy is an export, so the document is kept' });
  // Only the file that was copied is trashed: a changed or replaced source is kept.
  if (now.size !== job.srcSize || now.modifiedAt !== job.srcModified) {
    return set({ state: 'done', note: 'the source changed after the copy; it is kept' });
  }
  try {
    await source.trash(job.srcId);
  } catch (error) {
    if (!(error instanceof SkyfoldError && error.code === 'not_found')) throw error;
  }
  return set({ state: 'done' });
}

async function createFolder(job: Job, batch: Batch, context: StepContext): Promise<Job | null> {
  const destination = await context.provider(batch.dest);
  const parentId = requireParent(job);
  const namesakes = await childrenNamed(destination, parentId, job.destName);
  let folder = namesakes.find((item) => item.kind === 'folder');
  if (!folder && namesakes.length > 0) {
    // A file took the name since the plan: the folder takes a free one (the file stays).
    const name = await freeName(destination, parentId, job.destName);
    context.journal.updateJob(job.id, {
      destName: name,
      note: `a file has the name "${job.destName}" there`,
    });
    return context.journal.job(job.id)!;
  }
  if (!folder) {
    try {
      folder = await destination.mkdir(parentId, job.destName, { conflict: 'fail' });
    } catch (error) {
      if (error instanceof SkyfoldError && error.code === 'conflict') return job; // look again
      throw error;
    }
  }
  const created = folder;
  context.journal.commitNow(() => {
    context.journal.updateJob(job.id, { state: 'created', destId: created.id });
    for (const child of context.journal.jobs(job.batchId)) {
      if (child.parentJob === job.id) context.journal.updateJob(child.id, { destParentId: created.id });
    }
  });
  return context.journal.job(job.id)!;
}

async function finishFolderMove(
  job: Job,
  batch: Batch,
  context: StepContext,
  set: Setter,
): Promise<Job | null> {
  const children = context.journal.jobs(batch.id).filter((child) => child.parentJob === job.id);
  if (children.some((child) => !terminalJobStates.has(child.state))) return null;
  const source = await context.provider(job.src);
  const left: ProviderItem[] = [];
  try {
    for await (const page of source.list(job.srcId)) left.push(...page);
  } catch (error) {
    if (error instanceof SkyfoldError && error.code === 'not_found') return set({ state: 'done' });
    throw error;
  }
  if (left.length > 0) {
    return set({
      state: 'done',
      note: `${left.length} item(s) left in the source folder (failed, skipped or added meanwhile)`,
    });
  }
  await source.trash(job.srcId);
  return set({ state: 'done' });
}

/**
 * A source file as it streams: a Google document is read as an export, whose length is known only
 * once read (the size Drive reports is its storage's).
 */
export function asStreamed(item: ProviderItem): ProviderItem {
  return exportFormatsFor(item.mimeType).length > 0 ? { ...item, size: null } : item;
}

/** The source file as the plan saw it. */
function plannedFile(job: Job): ProviderItem {
  return {
    id: job.srcId,
    parentId: null,
    name: job.srcName,
    kind: 'file',
    size: job.srcSize,
    modifiedAt: job.srcModified,
    mimeType: null,
    targetId: null,
    hashes: job.srcHashes ?? {},
  };
}

function requireParent(job: Job): string {
  if (job.destParentId === null)
    throw new SkyfoldError('permanent', `"${job.srcName}" has no destination folder yet`);
  return job.destParentId;
}

/** The children of `parentId` named `name` (as the provider matches names). */
async function childrenNamed(provider: Provider, parentId: string, name: string): Promise<ProviderItem[]> {
  if (provider.findChildren) return provider.findChildren(parentId, name);
  const found: ProviderItem[] = [];
  for await (const page of provider.list(parentId)) found.push(...page.filter((item) => item.name === name));
  return found;
}

/**
 * The candidate holding exactly the source's bytes (a copy this job made before a crash), with the
 * digests of the source: same size, and a hash the destination reports equal to the source's bytes
 * hashed the same way.
 */
async function findOurs(
  candidates: readonly ProviderItem[],
  file: ProviderItem,
  source: Provider,
  destination: Provider,
  signal: AbortSignal | undefined,
): Promise<{ item: ProviderItem; computed: Hashes } | null> {
  // An export's length is known only once read: any file of ours by that name may be it.
  const sameSize = candidates.filter(
    (item) => item.kind === 'file' && (file.size === null || item.size === file.size),
  );
  if (sameSize.length === 0) return null;
  const types = destination.features.hashTypes;
  if (types.length === 0) return null;
  const hashes = new HashSet(['sha256', ...types]);
  for await (const chunk of reopeningSource((start) =>
    source.read(file.id, start > 0 ? { start } : undefined),
  )) {
    signal?.throwIfAborted();
    hashes.update(chunk as Buffer);
  }
  const computed = hashes.digest();
  for (const candidate of sameSize) {
    let reported = candidate.hashes;
    // Listings may carry no hash (local files): ask for one.
    if (!types.some((type) => reported[type] !== undefined)) {
      reported = { [types[0]!]: await destination.hash(candidate.id, types[0]!) };
    }
    const check = checkDestination(computed, reported);
    if (check.matched.length > 0 && check.mismatched.length === 0) {
      return { item: { ...candidate, hashes: { ...candidate.hashes, ...reported } }, computed };
    }
  }
  return null;
}

/** The first free `name (n).ext` in the folder. */
async function freeName(provider: Provider, parentId: string, name: string): Promise<string> {
  for (let n = 2; ; n++) {
    const candidate = numberedName(name, n);
    if ((await childrenNamed(provider, parentId, candidate)).length === 0) return candidate;
  }
}

/** Deletes a bad or unwanted copy: permanently where the provider can, else to its trash. Idempotent. */
export async function removeCopy(provider: Provider, id: string): Promise<void> {
  try {
    if (provider.removePermanently && provider.features.permanentDelete) await provider.removePermanently(id);
    else await provider.trash(id);
  } catch (error) {
    if (!(error instanceof SkyfoldError && error.code === 'not_found')) throw error;
  }
}
