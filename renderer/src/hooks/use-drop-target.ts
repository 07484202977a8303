/**
 * Drag and drop wiring: the items being dragged inside this window (a page cannot read a drag's data
 * before the drop), the one drop target under the pointer (highlighted), and the handlers a folder
 * row, the folder's empty area, an account or a breadcrumb spread on its element.
 */
import { useCallback, useId, useSyncExternalStore, type DragEvent } from 'react';
import type { TransferOpDto } from '../../../common/transfers';
import {
  canDropItems,
  decodeDraggedItems,
  dragKind,
  dropOperation,
  itemsMimeType,
  type DraggedItems,
  type FolderTarget,
} from '../lib/drag-drop';
import { dropRoots, type EntryLike } from '../lib/uploads';

let currentDrag: DraggedItems | null = null;
let activeKey: string | null = null;
const listeners = new Set<() => void>();

function setActiveKey(key: string | null): void {
  if (activeKey === key) return;
  activeKey = key;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A drag of items starts here (dragstart): targets can check where they may go while it lasts. */
export function beginItemsDrag(items: DraggedItems): void {
  currentDrag = items;
}

/** The drag ended (dragend, drop, or it left the window): nothing is highlighted any more. */
export function endDrag(): void {
  currentDrag = null;
  setActiveKey(null);
}

/** The items being dragged inside this window, if any. */
export function draggedItems(): DraggedItems | null {
  return currentDrag;
}

export type Drop =
  | { kind: 'items'; items: DraggedItems; op: TransferOpDto }
  /** From the desktop: the drop's roots (for the web host's upload) and its files (for Electron's paths). */
  | { kind: 'files'; roots: Array<EntryLike | File>; files: File[] };

export interface DropTargetProps {
  onDragEnter: (event: DragEvent<HTMLElement>) => void;
  onDragOver: (event: DragEvent<HTMLElement>) => void;
  onDragLeave: (event: DragEvent<HTMLElement>) => void;
  onDrop: (event: DragEvent<HTMLElement>) => void;
}

/**
 * Makes an element a drop target for `target` (null: not one). `active` is true while a drag it
 * accepts is over it (and not over a target inside it). `onDrop` gets what was dropped, with the
 * operation the pointer's modifier keys chose.
 */
export function useDropTarget(
  target: FolderTarget | null,
  mac: boolean,
  onDrop: (drop: Drop, target: FolderTarget) => void,
): { active: boolean; props: DropTargetProps } {
  const key = useId();
  const active = useSyncExternalStore(
    subscribe,
    () => activeKey === key,
    () => false,
  );
  const accountId = target?.accountId;
  const folderId = target?.folderId;

  const decide = useCallback(
    (event: DragEvent<HTMLElement>): TransferOpDto | null => {
      if (accountId === undefined || folderId === undefined) return null;
      const kind = dragKind(Array.from(event.dataTransfer.types));
      if (kind === 'files') return 'copy';
      if (kind !== 'items') return null;
      // From another window (unknown until the drop): offer a copy, the drop decides.
      const items = currentDrag;
      if (!items) return 'copy';
      if (!canDropItems(items, { accountId, folderId })) return null;
      return dropOperation(items.accountId, accountId, event, mac);
    },
    [accountId, folderId, mac],
  );

  const onDragOver = useCallback(
    (event: DragEvent<HTMLElement>) => {
      const op = decide(event);
      if (op === null) {
        if (activeKey === key) setActiveKey(null);
        return; // an enclosing target may take it
      }
      event.preventDefault();
      event.stopPropagation();
      event.dataTransfer.dropEffect = op;
      setActiveKey(key);
    },
    [decide, key],
  );

  const onDragLeave = useCallback(
    (event: DragEvent<HTMLElement>) => {
      const next = event.relatedTarget as Node | null;
      if (next && event.currentTarget.contains(next)) return;
      if (activeKey === key) setActiveKey(null);
    },
    [key],
  );

  const onDropEvent = useCallback(
    (event: DragEvent<HTMLElement>) => {
      if (accountId === undefined || folderId === undefined || decide(event) === null) return;
      event.preventDefault();
      event.stopPropagation();
      const target = { accountId, folderId };
      const transfer = event.dataTransfer;
      const kind = dragKind(Array.from(transfer.types));
      if (kind === 'items') {
        const items = decodeDraggedItems(transfer.getData(itemsMimeType)) ?? currentDrag;
        endDrag();
        if (!items || !canDropItems(items, target)) return;
        onDrop({ kind: 'items', items, op: dropOperation(items.accountId, accountId, event, mac) }, target);
      } else {
        // Entries and files must be taken while the event runs.
        const roots = dropRoots(transfer.items, transfer.files);
        const files = Array.from(transfer.files);
        endDrag();
        onDrop({ kind: 'files', roots, files }, target);
      }
    },
    [accountId, folderId, decide, mac, onDrop],
  );

  return {
    active,
    props: { onDragEnter: onDragOver, onDragOver, onDragLeave, onDrop: onDropEvent },
  };
}
