/**
 * The sidebar's folder tree (pure): its nodes ("All clouds" with the merged folders, each account
 * with its folders), the rows it shows given which nodes are expanded and what each expanded node's
 * listing holds, the WAI-ARIA tree pattern's keys, and the trail of nodes to a pane's location.
 *
 * Node keys are paths of the tree, so the same folder reached twice (a Drive shortcut) is two nodes:
 * `account:<id>` is an account's root, `<parent key>/<folder id>` a folder below it; `merged` is
 * "All clouds" and `<parent key>/<folded name>` a merged folder below it.
 */
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto, ItemDto, MergedRowDto, ProviderKind } from '../../../common/dto';
import { nameKey } from '../../../common/name-encoding';
import type { FolderTarget } from './drag-drop';
import { mergedPath, mergedSegments, type PaneLocation } from './pane-location';
import { findTypedRow } from './type-ahead';

/** What a node's children are listed from. */
export type ChildSource =
  { kind: 'folder'; accountId: string; folderId: string } | { kind: 'merged'; path: string };

export interface TreeNode {
  key: string;
  label: string;
  /** Where activating the node leads. */
  location: PaneLocation;
  source: ChildSource;
  /** The folder a drop on the node lands in; null for merged nodes (no single folder). */
  dropTarget: FolderTarget | null;
  /** Account nodes only: the provider, for the icon. */
  provider: ProviderKind | null;
}

/** Where an expanded node's listing stands. */
export type Children =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  /** `more`: the level holds more folders than the tree shows (`treeLevelLimit`). */
  | { status: 'loaded'; nodes: readonly TreeNode[]; more: boolean };

/** Expanded nodes, by key, with where their children come from. */
export type Expanded = ReadonlyMap<string, ChildSource>;

/** The most folders one level of the tree shows; the pane lists them all. */
export const treeLevelLimit = 500;

export type TreeRow =
  | {
      type: 'node';
      key: string;
      node: TreeNode;
      /** 1 for the top nodes. */
      level: number;
      parentKey: string | null;
      /** true: expanded; false: collapsed; null: a leaf (listed, no folders inside). */
      expanded: boolean | null;
      /** 1-based position among its sibling nodes, and their count. */
      posInSet: number;
      setSize: number;
    }
  | {
      type: 'note';
      key: string;
      level: number;
      parentKey: string;
      /** `loading` and `error` of the parent's listing; `more`: the level was cut (opens the parent). */
      note: 'loading' | 'error' | 'more';
      text: string;
      /** For `more`: the parent's location, where every folder is listed. */
      location: PaneLocation | null;
    };

export const mergedRootKey = 'merged';

export function accountNodeKey(accountId: string): string {
  return `account:${encodeURIComponent(accountId)}`;
}

const folderNodeKey = (parentKey: string, folderId: string) => `${parentKey}/${encodeURIComponent(folderId)}`;
/** Merged names are compared as the merged view compares them: NFC, case-insensitively. */
const mergedNodeKey = (parentKey: string, name: string) =>
  `${parentKey}/${encodeURIComponent(nameKey(name, true))}`;

/** The "All clouds" node: the merged view's top. */
export function mergedRootNode(): TreeNode {
  return {
    key: mergedRootKey,
    label: 'All clouds',
    location: { view: 'merged', path: '/' },
    source: { kind: 'merged', path: '/' },
    dropTarget: null,
    provider: null,
  };
}

/** An account's node: its root folder. */
export function accountNode(account: AccountDto): TreeNode {
  return {
    key: accountNodeKey(account.id),
    label: account.name,
    location: { view: 'folder', accountId: account.id, folderId: null },
    source: { kind: 'folder', accountId: account.id, folderId: account.rootId },
    dropTarget: { accountId: account.id, folderId: account.rootId },
    provider: account.provider,
  };
}

/** The nodes of a folder's child folders (files are left out; a folder shortcut leads to its target). */
export function folderNodes(parentKey: string, items: readonly ItemDto[]): TreeNode[] {
  return items
    .filter((item) => item.kind === 'folder')
    .map((item) => {
      const folderId = item.targetId ?? item.id;
      return {
        key: folderNodeKey(parentKey, item.id),
        label: item.name,
        location: { view: 'folder', accountId: item.accountId, folderId },
        source: { kind: 'folder', accountId: item.accountId, folderId },
        dropTarget: { accountId: item.accountId, folderId },
        provider: null,
      };
    });
}

/** The nodes of the merged folders inside the merged folder `parentPath` (one per folder row). */
export function mergedNodes(
  parentKey: string,
  parentPath: string,
  rows: readonly MergedRowDto[],
): TreeNode[] {
  return rows
    .filter((row) => row.kind === 'folder')
    .map((row) => {
      const path = mergedPath([...mergedSegments(parentPath), row.name]);
      return {
        key: mergedNodeKey(parentKey, row.name),
        label: row.name,
        location: { view: 'merged', path },
        source: { kind: 'merged', path },
        dropTarget: null,
        provider: null,
      };
    });
}

/** The first rows of a listing that puts folders first. */
type PageReader<T> = (offset: number, limit: number) => Promise<{ total: number; rows: readonly T[] }>;

/** Rows read per call while looking for the end of the folders. */
const folderPageSize = 100;

/**
 * The folders at the head of a listing that lists folders first: pages are read until a file shows
 * up, the listing ends, or more than `limit` folders were seen (`more`: there are more than `limit`).
 */
export async function readLeadingFolders<T>(
  read: PageReader<T>,
  isFolder: (row: T) => boolean,
  limit = treeLevelLimit,
): Promise<{ folders: T[]; more: boolean }> {
  const folders: T[] = [];
  for (let offset = 0; ; offset += folderPageSize) {
    const page = await read(offset, folderPageSize);
    for (const row of page.rows) {
      if (!isFolder(row)) return { folders, more: false };
      if (folders.length === limit) return { folders, more: true };
      folders.push(row);
    }
    if (page.rows.length < folderPageSize || offset + page.rows.length >= page.total) {
      return { folders, more: false };
    }
  }
}

const byName = { by: 'name', direction: 'asc' } as const;

/** The child folders of an account's folder, by name (at most `limit`). Throws as listFolder does. */
export function listSubfolders(
  api: Pick<SkyfoldApi, 'listFolder'>,
  accountId: string,
  folderId: string,
  limit = treeLevelLimit,
): Promise<{ folders: ItemDto[]; more: boolean }> {
  return readLeadingFolders(
    async (offset, pageLimit) => {
      const page = await api.listFolder({ accountId, folderId, sort: byName, offset, limit: pageLimit });
      return { total: page.total, rows: page.items };
    },
    (item) => item.kind === 'folder',
    limit,
  );
}

/** The merged folder rows inside the merged folder `path`, by name (at most `limit`). Throws as listMerged does. */
export function listMergedSubfolders(
  api: Pick<SkyfoldApi, 'listMerged'>,
  path: string,
  limit = treeLevelLimit,
): Promise<{ folders: MergedRowDto[]; more: boolean }> {
  return readLeadingFolders(
    async (offset, pageLimit) => {
      const page = await api.listMerged({ path, sort: byName, offset, limit: pageLimit });
      return { total: page.total, rows: page.rows };
    },
    (row) => row.kind === 'folder',
    limit,
  );
}

/** What a node's children were listed from: the folders, raw (one listing can serve several nodes). */
export type ChildListing =
  | { kind: 'folder'; folders: ItemDto[]; more: boolean }
  | { kind: 'merged'; path: string; rows: MergedRowDto[]; more: boolean };

/** Lists the child folders of `source`. Throws as listFolder and listMerged do. */
export async function loadChildren(
  api: Pick<SkyfoldApi, 'listFolder' | 'listMerged'>,
  source: ChildSource,
): Promise<ChildListing> {
  if (source.kind === 'merged') {
    const { folders, more } = await listMergedSubfolders(api, source.path);
    return { kind: 'merged', path: source.path, rows: folders, more };
  }
  const { folders, more } = await listSubfolders(api, source.accountId, source.folderId);
  return { kind: 'folder', folders, more };
}

/** The child nodes of the node `parentKey`, from its listing. */
export function childNodes(parentKey: string, listing: ChildListing): TreeNode[] {
  return listing.kind === 'merged'
    ? mergedNodes(parentKey, listing.path, listing.rows)
    : folderNodes(parentKey, listing.folders);
}

/**
 * The rows the tree shows, depth first: each expanded node's children (or a loading or error note)
 * follow it; a level cut at `treeLevelLimit` ends with a `more` note. `childrenOf` answers for the
 * expanded nodes (undefined: not asked yet, shown as loading).
 */
export function flattenTree(
  roots: readonly TreeNode[],
  expanded: Expanded,
  childrenOf: (key: string) => Children | undefined,
): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (nodes: readonly TreeNode[], level: number, parent: TreeNode | null) => {
    nodes.forEach((node, index) => {
      const open = expanded.has(node.key);
      const children = open ? (childrenOf(node.key) ?? { status: 'loading' }) : undefined;
      const leaf = children?.status === 'loaded' && children.nodes.length === 0 && !children.more;
      rows.push({
        type: 'node',
        key: node.key,
        node,
        level,
        parentKey: parent?.key ?? null,
        expanded: leaf ? null : open,
        posInSet: index + 1,
        setSize: nodes.length,
      });
      if (!children || leaf) return;
      const note = (kind: 'loading' | 'error' | 'more', text: string) =>
        rows.push({
          type: 'note',
          key: `${node.key}#${kind}`,
          level: level + 1,
          parentKey: node.key,
          note: kind,
          text,
          location: kind === 'more' ? node.location : null,
        });
      if (children.status === 'loading') note('loading', 'Loading…');
      else if (children.status === 'error') note('error', `Could not list folders: ${children.message}`);
      else {
        visit(children.nodes, level + 1, node);
        if (children.more) note('more', `More folders… (open ${node.label} to see all)`);
      }
    });
  };
  visit(roots, 1, null);
  return rows;
}

/** What a key press in the tree does. */
export type TreeCommand =
  | { type: 'focus'; index: number }
  | { type: 'expand'; key: string; source: ChildSource }
  | { type: 'collapse'; key: string }
  | { type: 'activate'; index: number };

/**
 * The WAI-ARIA tree pattern's keys on the row at `focused`: Up/Down move, Home/End go to the ends,
 * Right expands a collapsed node or enters an expanded one, Left collapses an expanded node or goes
 * to the parent, Enter activates. Other keys: null (type-ahead is `typedRow`).
 */
export function treeKeyCommand(rows: readonly TreeRow[], focused: number, key: string): TreeCommand | null {
  const row = rows[focused];
  if (!row)
    return rows.length > 0 && ['ArrowDown', 'Home'].includes(key) ? { type: 'focus', index: 0 } : null;
  switch (key) {
    case 'ArrowDown':
      return focused + 1 < rows.length ? { type: 'focus', index: focused + 1 } : null;
    case 'ArrowUp':
      return focused > 0 ? { type: 'focus', index: focused - 1 } : null;
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: rows.length - 1 };
    case 'ArrowRight':
      if (row.type !== 'node' || row.expanded === null) return null;
      if (!row.expanded) return { type: 'expand', key: row.key, source: row.node.source };
      return rows[focused + 1]?.parentKey === row.key ? { type: 'focus', index: focused + 1 } : null;
    case 'ArrowLeft': {
      if (row.type === 'node' && row.expanded === true) return { type: 'collapse', key: row.key };
      const parent = rows.findIndex((candidate) => candidate.key === row.parentKey);
      return parent === -1 ? null : { type: 'focus', index: parent };
    }
    case 'Enter':
      return { type: 'activate', index: focused };
    default:
      return null;
  }
}

/** Type-ahead (type-ahead.ts): the node row whose label starts with `text`, from `focused` on; -1 when none. */
export function typedRow(rows: readonly TreeRow[], text: string, focused: number): number {
  return findTypedRow(
    rows.map((row) => (row.type === 'node' ? row.node.label : undefined)),
    text,
    focused,
  );
}

/**
 * `expanded` with `key` expanded (from `source`) or collapsed (`source` null; the nodes below it
 * collapse too, so nothing hidden keeps being listed); the same map when nothing changes.
 */
export function setExpanded(expanded: Expanded, key: string, source: ChildSource | null): Expanded {
  if (source !== null) {
    if (expanded.has(key)) return expanded;
    return new Map(expanded).set(key, source);
  }
  const below = `${key}/`;
  const gone = [...expanded.keys()].filter((candidate) => candidate === key || candidate.startsWith(below));
  if (gone.length === 0) return expanded;
  const next = new Map(expanded);
  for (const candidate of gone) next.delete(candidate);
  return next;
}

/** The key of the top node a node is under (itself for a top node). */
export function topKey(key: string): string {
  const slash = key.indexOf('/');
  return slash === -1 ? key : key.slice(0, slash);
}

/** One node on the way to a location: its key and where its children come from. */
export interface TrailStep {
  key: string;
  source: ChildSource;
}

/**
 * The nodes from an account's node down to `folder` (listFolder's folder and `ancestors`, root first);
 * without a folder (the root) just the account's node.
 */
export function folderTrail(
  account: Pick<AccountDto, 'id' | 'rootId'>,
  folder: ItemDto | null,
  ancestors: readonly ItemDto[],
): TrailStep[] {
  const root: TrailStep = {
    key: accountNodeKey(account.id),
    source: { kind: 'folder', accountId: account.id, folderId: account.rootId },
  };
  if (!folder || folder.parentId === null) return [root];
  const steps = [root];
  for (const item of [...ancestors.filter((ancestor) => ancestor.parentId !== null), folder]) {
    steps.push({
      key: folderNodeKey(steps[steps.length - 1]!.key, item.id),
      source: { kind: 'folder', accountId: account.id, folderId: item.id },
    });
  }
  return steps;
}

/** The nodes from "All clouds" down to the merged folder `path`. */
export function mergedTrail(path: string): TrailStep[] {
  const steps: TrailStep[] = [{ key: mergedRootKey, source: { kind: 'merged', path: '/' } }];
  const segments = mergedSegments(path);
  segments.forEach((segment, index) => {
    steps.push({
      key: mergedNodeKey(steps[index]!.key, segment),
      source: { kind: 'merged', path: mergedPath(segments.slice(0, index + 1)) },
    });
  });
  return steps;
}

/** `expanded` with every step but the last expanded (the way to a location opened, the location itself not). */
export function expandTrail(expanded: Expanded, trail: readonly TrailStep[]): Expanded {
  return trail.slice(0, -1).reduce((map, step) => setExpanded(map, step.key, step.source), expanded);
}
