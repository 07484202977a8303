/**
 * The sidebar's folder tree (WAI-ARIA tree pattern): "All clouds" with the merged folders, then each
 * account with its folders. A node's folders are listed only once it is expanded (cached by the
 * query cache, so engine events refresh them). The node of the pane's location is selected and its
 * ancestors expanded. Roving tabindex: the tree is one Tab stop; the keys are lib/tree.ts's.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import { useDropTarget } from '../hooks/use-drop-target';
import { displayName } from '../lib/format';
import type { PaneLocation } from '../lib/pane-location';
import { queryKeys } from '../lib/query-keys';
import {
  accountNode,
  childNodes,
  expandTrail,
  flattenTree,
  folderTrail,
  loadChildren,
  mergedRootKey,
  mergedRootNode,
  mergedTrail,
  setExpanded,
  topKey,
  treeKeyCommand,
  typedRow,
  type Children,
  type ChildSource,
  type Expanded,
  type TrailStep,
  type TreeRow,
} from '../lib/tree';
import { extendTypeAhead, type TypeAhead } from '../lib/type-ahead';
import { AllCloudsIcon } from './HomeView';
import { ChevronIcon, FileIcon, ProviderIcon } from './Icons';
import { useTransferUi } from './TransferUi';
import './navigation.css';

const childrenKey = (source: ChildSource) =>
  source.kind === 'merged'
    ? queryKeys.mergedSubfolders(source.path)
    : queryKeys.subfolders(source.accountId, source.folderId);

/**
 * The tree's nodes from the pane's location to the top (null while unknown): an account folder's
 * ancestors come from listFolder (one row asked), a merged path names its own.
 */
function useLocationTrail(
  api: SkyfoldApi,
  accounts: readonly AccountDto[],
  current: PaneLocation,
): TrailStep[] | null {
  const folder = current.view === 'folder' && current.folderId !== null ? current : null;
  const head = useQuery({
    queryKey: queryKeys.folderTrail(folder?.accountId ?? '', folder?.folderId ?? ''),
    queryFn: () =>
      api.listFolder({
        accountId: folder!.accountId,
        folderId: folder!.folderId!,
        sort: { by: 'name', direction: 'asc' },
        offset: 0,
        limit: 1,
      }),
    enabled: folder !== null,
  });
  return useMemo(() => {
    if (current.view === 'merged') return mergedTrail(current.path);
    if (current.view !== 'folder') return null;
    const account = accounts.find((candidate) => candidate.id === current.accountId);
    if (!account) return null;
    if (current.folderId === null) return folderTrail(account, null, []);
    return head.data ? folderTrail(account, head.data.folder, head.data.ancestors) : null;
  }, [current, accounts, head.data]);
}

export function FolderTree({
  api,
  accounts,
  current,
  onNavigate,
}: {
  api: SkyfoldApi;
  accounts: readonly AccountDto[];
  /** The pane's location: its node is selected, its ancestors expanded. */
  current: PaneLocation;
  onNavigate: (location: PaneLocation) => void;
}) {
  const roots = useMemo(
    () => (accounts.length === 0 ? [] : [mergedRootNode(), ...accounts.map(accountNode)]),
    [accounts],
  );
  const [expanded, setExpandedMap] = useState<Expanded>(() => new Map());
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const typeAhead = useRef<TypeAhead | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());

  // The way to a new location opens once (render-time state update: no effect, no extra paint).
  const trail = useLocationTrail(api, accounts, current);
  const trailId = trail?.map((step) => step.key).join('\n') ?? null;
  const [openedTrail, setOpenedTrail] = useState<string | null>(null);
  if (trail && trailId !== openedTrail) {
    setOpenedTrail(trailId);
    setExpandedMap((map) => expandTrail(map, trail));
  }
  const selectedKey = trail?.[trail.length - 1]?.key ?? null;

  // Only under top nodes still shown (an account removed takes its expanded folders along).
  const open = [...expanded.entries()].filter(([key]) => roots.some((root) => root.key === topKey(key)));
  const listings = useQueries({
    queries: open.map(([, source]) => ({
      queryKey: childrenKey(source),
      queryFn: () => loadChildren(api, source),
    })),
  });
  const children = new Map<string, { children: Children; retry: () => void }>();
  open.forEach(([key], index) => {
    const listing = listings[index]!;
    children.set(key, {
      children: listing.data
        ? { status: 'loaded', nodes: childNodes(key, listing.data), more: listing.data.more }
        : listing.error
          ? { status: 'error', message: listing.error.message }
          : { status: 'loading' },
      retry: () => void listing.refetch(),
    });
  });
  const rows = flattenTree(roots, expanded, (key) => children.get(key)?.children);

  const indexOf = (key: string | null) => rows.findIndex((row) => row.key === key);
  const selectedShown = indexOf(selectedKey) !== -1;
  // A new location's node is brought into view once it is shown (its ancestors may load first).
  useEffect(() => {
    if (selectedShown && selectedKey) items.current.get(selectedKey)?.scrollIntoView({ block: 'nearest' });
  }, [selectedKey, selectedShown]);
  const tabbable = [focusedKey, selectedKey, rows[0]?.key ?? null].find((key) => indexOf(key) !== -1) ?? null;

  const focusRow = (index: number) => {
    const row = rows[index];
    if (!row) return;
    setFocusedKey(row.key);
    items.current.get(row.key)?.focus();
  };
  const toggle = (key: string, source: ChildSource | null) =>
    setExpandedMap((map) => setExpanded(map, key, source));
  const activate = (row: TreeRow) => {
    if (row.type === 'node') onNavigate(row.node.location);
    else if (row.note === 'more' && row.location) onNavigate(row.location);
    else if (row.note === 'error') children.get(row.parentKey)?.retry();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const focused = indexOf(tabbable);
    const command = treeKeyCommand(rows, focused, event.key);
    if (command) {
      event.preventDefault();
      if (command.type === 'focus') focusRow(command.index);
      else if (command.type === 'expand') toggle(command.key, command.source);
      else if (command.type === 'collapse') toggle(command.key, null);
      else activate(rows[command.index]!);
      return;
    }
    if (event.key.length === 1 && event.key !== ' ') {
      typeAhead.current = extendTypeAhead(typeAhead.current, event.key, event.timeStamp);
      const index = typedRow(rows, typeAhead.current.text, focused);
      if (index !== -1) {
        event.preventDefault();
        focusRow(index);
      }
    }
  };

  const byParent = new Map<string | null, TreeRow[]>();
  for (const row of rows) byParent.set(row.parentKey, [...(byParent.get(row.parentKey) ?? []), row]);
  const renderLevel = (parentKey: string | null) =>
    (byParent.get(parentKey) ?? []).map((row) => (
      <TreeItem
        key={row.key}
        row={row}
        selected={row.key === selectedKey}
        tabbable={row.key === tabbable}
        itemRef={(element) => {
          if (element) items.current.set(row.key, element);
          else items.current.delete(row.key);
        }}
        onFocus={() => setFocusedKey(row.key)}
        onActivate={() => activate(row)}
        onToggle={() => {
          if (row.type === 'node' && row.expanded !== null)
            toggle(row.key, row.expanded ? null : row.node.source);
        }}
      >
        {row.type === 'node' && row.expanded ? (
          <ul role="group" className="tree-group">
            {renderLevel(row.key)}
          </ul>
        ) : null}
      </TreeItem>
    ));

  if (roots.length === 0) return null;
  return (
    <ul
      role="tree"
      aria-label="Folders"
      className="folder-tree"
      data-testid="folder-tree"
      onKeyDown={onKeyDown}
    >
      {renderLevel(null)}
    </ul>
  );
}

/** One treeitem: a node (a drop target where it is one folder) or a note of its parent's listing. */
function TreeItem({
  row,
  selected,
  tabbable,
  itemRef,
  onFocus,
  onActivate,
  onToggle,
  children,
}: {
  row: TreeRow;
  selected: boolean;
  tabbable: boolean;
  itemRef: (element: HTMLLIElement | null) => void;
  onFocus: () => void;
  onActivate: () => void;
  onToggle: () => void;
  children: ReactNode;
}) {
  const transferUi = useTransferUi();
  const labelId = useId();
  const node = row.type === 'node' ? row.node : null;
  const drop = useDropTarget(node?.dropTarget ?? null, transferUi.mac, transferUi.drop);
  const expanded = row.type === 'node' ? row.expanded : null;
  return (
    <li
      ref={itemRef}
      role="treeitem"
      className="tree-item"
      aria-labelledby={labelId}
      aria-level={row.level}
      aria-setsize={row.type === 'node' ? row.setSize : undefined}
      aria-posinset={row.type === 'node' ? row.posInSet : undefined}
      aria-expanded={expanded === null ? undefined : expanded}
      aria-selected={node ? selected : undefined}
      aria-disabled={row.type === 'note' && row.note === 'loading' ? true : undefined}
      tabIndex={tabbable ? 0 : -1}
      data-key={row.key}
      data-testid={node ? 'tree-node' : 'tree-note'}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocus();
      }}
    >
      <div
        className={drop.active ? 'tree-row drop-target' : 'tree-row'}
        style={{ paddingInlineStart: `${(row.level - 1) * 14 + 4}px` }}
        data-drop-target={drop.active || undefined}
        data-note={row.type === 'note' ? row.note : undefined}
        onClick={onActivate}
        {...drop.props}
      >
        <span
          className="tree-twisty"
          data-expanded={expanded ?? undefined}
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation();
            onToggle();
          }}
        >
          {expanded !== null ? <ChevronIcon /> : null}
        </span>
        {node ? (
          node.provider ? (
            <ProviderIcon provider={node.provider} />
          ) : node.key === mergedRootKey ? (
            <AllCloudsIcon />
          ) : (
            <FileIcon kind="folder" />
          )
        ) : null}
        <span className="tree-label" id={labelId}>
          {displayName(row.type === 'node' ? row.node.label : row.text)}
        </span>
      </div>
      {children}
    </li>
  );
}
