/**
 * Plans a batch before anything moves (docs/design/transfers.md §3): walks the sources through their
 * providers (the truth, not the index), decides every destination name with `planDestinationNames`
 * (refused names renamed reversibly, limits checked, conflicts by policy), and writes the batch and
 * one job per file and folder to the journal: folders before their content, each child pointing to
 * the folder job that creates its destination parent. The batch stays `planning` until every job is
 * written, so a crash while planning leaves nothing to resume (recovery plans again).
 *
 * Returns what the plan decided, for the UI and the CLI to show. Throws what the providers throw
 * (a source that is gone, a destination folder that is not a folder), or invalid_argument for a
 * folder copied into itself.
 */
import { SkyfoldError } from '../../../common/errors';
import { exportedName } from '../../../common/export-formats';
import type { TransferPlanDto } from '../../../common/transfers';
import type { Provider, ProviderItem } from '../providers/types';
import { planDestinationNames, type NamePlan } from './destination-names';
import { asStreamed } from './steps';
import type { ConflictChoice, JobMethod, NewJob, TransferJournal, TransferOp } from './journal';

export interface PlanRequest {
  op: TransferOp;
  origin: string;
  source: { endpoint: string; provider: Provider; itemIds: readonly string[] };
  destination: { endpoint: string; provider: Provider; folderId: string };
  /** null: conflicts make the batch wait for a decision. */
  conflict: ConflictChoice | null;
}

/** What the plan decided (the contract's shape). */
export type PlanSummary = TransferPlanDto;

export async function planBatch(journal: TransferJournal, request: PlanRequest): Promise<PlanSummary> {
  const { source, destination } = request;
  const sameAccount = source.endpoint === destination.endpoint || source.provider === destination.provider;
  const jobs: NewJob[] = [];
  const summary: Omit<PlanSummary, 'batchId'> = {
    files: 0,
    folders: 0,
    bytes: 0,
    renamed: [],
    refused: [],
    skipped: [],
    conflicts: [],
  };
  let destinationFolder = await destination.provider.stat(request.destination.folderId);
  // A shortcut to a folder (Drive) takes items into the folder it points to.
  if (destinationFolder.targetId !== null)
    destinationFolder = await destination.provider.stat(destinationFolder.targetId);
  if (destinationFolder.kind !== 'folder') {
    throw new SkyfoldError('invalid_argument', `"${destinationFolder.name}" is not a folder`);
  }
  const destinationFolderId = destinationFolder.id;
  const moveWithin = sameAccount && request.op === 'move';
  // A selected shortcut stands for the item it points to (under the shortcut's name), except when
  // it is moved within its account: then the shortcut itself moves.
  const items = await Promise.all(
    (await itemsOf(source.provider, source.itemIds)).map(async (item) =>
      item.targetId === null || moveWithin
        ? item
        : { ...(await source.provider.stat(item.targetId)), name: item.name },
    ),
  );
  if (sameAccount) {
    for (const item of items) await refuseIntoItself(source.provider, item, destinationFolder);
  }

  // Within one account the provider moves items itself (a folder as one job, by id), and copies
  // files itself when it can (folders are created one by one, so each file is verified).
  const serverMove = moveWithin;
  const serverCopy = sameAccount && request.op === 'copy' && source.provider.copy !== undefined;
  const methodFor = (item: ProviderItem): JobMethod =>
    serverMove ? 'server-move' : serverCopy && item.kind === 'file' ? 'server-copy' : 'stream';

  /** Plans `incoming` into a destination folder (existing: its id; new: the index of its folder job). */
  const planLevel = async (
    incoming: ProviderItem[],
    into: { folderId: string | null; parentIndex: number | undefined; pathLength: number },
  ): Promise<void> => {
    // Shortcuts inside a copied folder are left out: following them could copy a folder into
    // itself, or the same files twice.
    for (const item of incoming.filter(
      (candidate) => candidate.targetId !== null && into.parentIndex !== undefined,
    ))
      summary.skipped.push({ name: item.name, reason: 'a shortcut (copy the item it points to instead)' });
    incoming = incoming.filter((item) => item.targetId === null || into.parentIndex === undefined);
    const children = into.folderId === null ? [] : await listAll(destination.provider, into.folderId);
    const plans = planDestinationNames(
      destination.provider,
      { children, pathLength: into.pathLength },
      // Google documents leave Drive as their default export, named with its extension.
      sameAccount
        ? incoming
        : incoming.map((item) => ({ ...item, name: exportedName(item.name, item.mimeType) })),
      request.conflict,
    );
    for (const [index, item] of incoming.entries()) {
      const plan = plans[index]!;
      const name = plan.outcome === 'write' || plan.outcome === 'decide' ? plan.name : item.name;
      if (plan.outcome === 'refuse') {
        summary.refused.push({ name: item.name, reason: plan.reason });
        continue;
      }
      if (plan.outcome === 'skip') {
        summary.skipped.push({ name: item.name, reason: plan.reason });
        continue;
      }
      if (plan.outcome === 'decide') summary.conflicts.push(item.name);
      if (plan.outcome === 'write' && plan.renamed) {
        summary.renamed.push({ from: item.name, to: plan.name, reason: plan.renamed.reason });
      }
      const merged = plan.outcome === 'write' && plan.existing === 'merge';
      // A folder moved within its account onto a folder of its name merges into it: that folder
      // job finds the existing one, and the content is moved into it item by item.
      const method = merged && item.kind === 'folder' ? 'stream' : methodFor(item);
      const sent = method === 'stream' ? asStreamed(item) : item;
      jobs.push(jobFor(sent, name, plan, into, request, method));
      if (item.kind === 'file') {
        summary.files++;
        summary.bytes += sent.size ?? 0;
        continue;
      }
      summary.folders++;
      if (serverMove && !merged) continue; // the folder moves with everything in it
      const existingFolder = merged
        ? children.find((child) => child.kind === 'folder' && child.name === name)
        : undefined;
      await planLevel(await listAll(source.provider, item.id), {
        folderId: existingFolder?.id ?? null,
        parentIndex: jobs.length - 1,
        pathLength: into.pathLength + (into.pathLength > 0 ? 1 : 0) + name.length,
      });
    }
  };

  const batchId = journal.beginBatch({
    op: request.op,
    origin: request.origin,
    dest: destination.endpoint,
    destFolderId: destinationFolderId,
    conflict: request.conflict,
  });
  try {
    // Moving items into the folder they are in changes nothing: they are left as they are.
    const staying = serverMove ? items.filter((item) => item.parentId === destinationFolderId) : [];
    for (const item of staying)
      summary.skipped.push({ name: item.name, reason: 'it is already in this folder' });
    await planLevel(
      items.filter((item) => !staying.includes(item)),
      { folderId: destinationFolderId, parentIndex: undefined, pathLength: 0 },
    );
    journal.addJobs(batchId, jobs);
  } catch (error) {
    journal.deleteBatch(batchId); // nothing moved: no trace of a plan that could not be made
    throw error;
  }
  if (summary.conflicts.length > 0) journal.setBatchConflicts(batchId, summary.conflicts);
  journal.setBatchState(batchId, summary.conflicts.length > 0 ? 'needs-decision' : 'ready');
  return { batchId, ...summary };
}

function jobFor(
  item: ProviderItem,
  name: string,
  plan: NamePlan,
  into: { folderId: string | null; parentIndex: number | undefined },
  request: PlanRequest,
  method: JobMethod,
): NewJob {
  const renamed = plan.outcome === 'write' ? plan.renamed : null;
  return {
    ...(into.parentIndex === undefined ? {} : { parentIndex: into.parentIndex }),
    kind: item.kind,
    method,
    src: request.source.endpoint,
    srcId: item.id,
    srcName: item.name,
    srcSize: item.size,
    srcModified: item.modifiedAt,
    srcHashes: Object.keys(item.hashes).length > 0 ? (item.hashes as Record<string, string>) : null,
    destParentId: into.folderId,
    destName: name,
    nameNote: renamed ? { original: renamed.from, reason: renamed.reason } : null,
    conflict:
      plan.outcome === 'write' && plan.existing === 'replace' ? 'replace' : (request.conflict ?? 'rename'),
  };
}

/** Refuses a folder copied or moved into itself or below itself. */
async function refuseIntoItself(
  provider: Provider,
  item: ProviderItem,
  destination: ProviderItem,
): Promise<void> {
  if (item.kind !== 'folder') return;
  for (let current: ProviderItem | null = destination; current;) {
    if (current.id === item.id) {
      throw new SkyfoldError(
        'invalid_argument',
        `"${item.name}" cannot go into itself or a folder inside it`,
      );
    }
    current = current.parentId === null ? null : await provider.stat(current.parentId);
  }
}

/**
 * The items with these ids: stated one by one when they are few, else read from their folder's
 * listing (a selection of 2,000 files is one listing, not 2,000 requests), stating only the ones the
 * listing lacks. Throws not_found for an id that is gone.
 */
async function itemsOf(provider: Provider, ids: readonly string[]): Promise<ProviderItem[]> {
  if (ids.length <= 8) return Promise.all(ids.map((id) => provider.stat(id)));
  const first = await provider.stat(ids[0]!);
  const siblings = new Map<string, ProviderItem>([[first.id, first]]);
  if (first.parentId !== null) {
    for (const item of await listAll(provider, first.parentId)) siblings.set(item.id, item);
  }
  return Promise.all(ids.map((id) => siblings.get(id) ?? provider.stat(id)));
}

async function listAll(provider: Provider, folderId: string): Promise<ProviderItem[]> {
  const items: ProviderItem[] = [];
  for await (const page of provider.list(folderId)) items.push(...page);
  return items;
}
