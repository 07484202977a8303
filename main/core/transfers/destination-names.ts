/**
 * The names a batch's items get in one destination folder, decided before anything moves
 * (docs/design/transfers.md §3): names the destination refuses are renamed reversibly
 * (`encodeName`), files over its size limit and paths over its length limit are refused, and names
 * already taken (compared the way the destination compares them: NFC, and case-folded where its
 * names are case-insensitive) follow the conflict policy. Pure: the caller lists the folder.
 *
 * A folder meeting a folder always merges (nothing is overwritten; the files inside meet the policy
 * one by one). Otherwise: `rename` reserves the next free `name (n).ext`; `replace` writes a file
 * over a file, and renames when the kinds differ (a file never replaces a folder, nor a folder a
 * file); `skip` leaves the item out; null keeps the name and marks the item `decide` (the batch
 * waits for the user's choice). Two items of the batch that the destination would
 * store under one name never meet: the later one is numbered whatever the policy.
 */
import { SkyfoldError } from '../../../common/errors';
import { encodeName, nameKey } from '../../../common/name-encoding';
import { numberedName } from '../../../common/names';
import type { ItemKind } from '../../../common/dto';
import type { Provider } from '../providers/types';
import type { ConflictChoice } from './journal';

export interface IncomingItem {
  name: string;
  kind: ItemKind;
  size: number | null;
}

export type NamePlan =
  | {
      outcome: 'write';
      /** The name reserved at the destination. */
      name: string;
      /** Why the name differs from the source's, when it does. */
      renamed: { from: string; reason: string } | null;
      /** An existing item of that name is replaced (files) or merged into (folders). */
      existing: 'replace' | 'merge' | null;
    }
  | { outcome: 'skip'; reason: string }
  | { outcome: 'refuse'; reason: string }
  | { outcome: 'decide'; name: string };

type WritePlan = Extract<NamePlan, { outcome: 'write' }>;

export interface DestinationFolder {
  /** What the folder holds now. */
  children: ReadonlyArray<{ name: string; kind: ItemKind }>;
  /** The folder's path from the account's root, in UTF-16 code units (`a/b` is 3; the root is 0). */
  pathLength: number;
}

export function planDestinationNames(
  destination: Pick<Provider, 'nameProblem' | 'features'>,
  folder: DestinationFolder,
  incoming: readonly IncomingItem[],
  conflict: ConflictChoice | null,
): NamePlan[] {
  const { caseInsensitive, maxFileSize } = destination.features;
  const maxPathLength = destination.features.maxPathLength ?? null;
  const key = (name: string) => nameKey(name, caseInsensitive);
  const existing = new Map(folder.children.map((child) => [key(child.name), child.kind]));
  const reserved = new Set<string>();
  const free = (name: string) => !existing.has(key(name)) && !reserved.has(key(name));

  return incoming.map((item): NamePlan => {
    let name: string;
    try {
      name = encodeName(item.name, (candidate) => destination.nameProblem(candidate));
    } catch (error) {
      return { outcome: 'refuse', reason: error instanceof SkyfoldError ? error.message : String(error) };
    }
    const encoded =
      name === item.name ? null : { from: item.name, reason: destination.nameProblem(item.name)! };
    if (item.kind === 'file' && maxFileSize !== null && item.size !== null && item.size > maxFileSize) {
      return {
        outcome: 'refuse',
        reason: `larger than the destination allows (${item.size} > ${maxFileSize} bytes)`,
      };
    }
    const reserve = (
      chosen: string,
      renamed: WritePlan['renamed'],
      over: WritePlan['existing'],
    ): NamePlan => {
      const length = folder.pathLength + (folder.pathLength > 0 ? 1 : 0) + chosen.length;
      if (maxPathLength !== null && length > maxPathLength) {
        return { outcome: 'refuse', reason: `path too long: ${length} > ${maxPathLength}` };
      }
      reserved.add(key(chosen));
      return { outcome: 'write', name: chosen, renamed, existing: over };
    };
    const numbered = (reason: string): NamePlan => {
      for (let n = 2; ; n++) {
        const candidate = numberedName(name, n);
        if (free(candidate)) return reserve(candidate, { from: item.name, reason }, null);
      }
    };
    if (reserved.has(key(name))) return numbered('another item of the batch has this name there');
    const taken = existing.get(key(name));
    if (taken === undefined) return reserve(name, encoded, null);
    // A folder meeting a folder merges (nothing is overwritten; its files meet the policy one by one).
    if (taken === 'folder' && item.kind === 'folder') return reserve(name, encoded, 'merge');
    switch (conflict) {
      case null:
        reserved.add(key(name));
        return { outcome: 'decide', name };
      case 'skip':
        return { outcome: 'skip', reason: `"${name}" exists at the destination` };
      case 'replace':
        if (taken === item.kind) return reserve(name, encoded, 'replace');
        return numbered(`a ${taken} has this name there`);
      case 'rename':
        return numbered('the name is taken there');
    }
  });
}
