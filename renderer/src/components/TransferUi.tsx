/**
 * What starts transfers from anywhere in the window: drops (items from the app, files from the
 * desktop), cut/copy/paste, and drags out. Rows, accounts and breadcrumbs reach it with
 * `useTransferUi()`; uploads in progress are kept here for the transfers panel.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type ReactNode,
} from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SkyfoldApi } from '../../../common/contract';
import type { ItemDto } from '../../../common/dto';
import type { TransferOpDto } from '../../../common/transfers';
import { downloadUrl, type DesktopBridge } from '../../../common/uploads';
import { beginItemsDrag, endDrag, type Drop } from '../hooks/use-drop-target';
import {
  downloadUrlData,
  encodeDraggedItems,
  groupPathsByParent,
  itemsMimeType,
  type DraggedItems,
  type FolderTarget,
} from '../lib/drag-drop';
import { queryKeys } from '../lib/query-keys';
import { collectDroppedFiles, uploadDroppedFiles, type UploadProgress } from '../lib/uploads';

export interface UploadEntry {
  id: number;
  destination: FolderTarget;
  state: 'collecting' | 'sending' | 'failed';
  progress: UploadProgress | null;
  error: string | null;
}

/** Items cut or copied, one group per account (a merged view's selection spans several). */
export interface ClipboardItems {
  op: TransferOpDto;
  groups: DraggedItems[];
}

export interface TransferUi {
  mac: boolean;
  /** The Electron preload's extras; null in the web host. */
  bridge: DesktopBridge | null;
  drop: (drop: Drop, target: FolderTarget) => void;
  /** Starts dragging items out of a list row. */
  dragStart: (event: DragEvent<HTMLElement>, items: DraggedItems, item: ItemDto | null) => void;
  dragEnd: () => void;
  clipboard: ClipboardItems | null;
  setClipboard: (items: ClipboardItems | null) => void;
  paste: (target: FolderTarget) => void;
}

export interface Uploads {
  uploads: readonly UploadEntry[];
  dismissUpload: (id: number) => void;
}

const TransferUiContext = createContext<TransferUi | null>(null);
// Apart, so upload progress re-renders the panel only, not every row.
const UploadsContext = createContext<Uploads>({ uploads: [], dismissUpload: () => undefined });

export function useTransferUi(): TransferUi {
  const value = useContext(TransferUiContext);
  if (!value) throw new Error('useTransferUi() outside <TransferUiProvider>');
  return value;
}

/** Drops from the desktop being sent to the web host. */
export function useUploads(): Uploads {
  return useContext(UploadsContext);
}

/** The message of a failure, for a toast. */
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function TransferUiProvider({
  api,
  bridge,
  mac,
  onStarted,
  onError,
  children,
}: {
  api: SkyfoldApi;
  bridge: DesktopBridge | null;
  mac: boolean;
  /** A transfer (or an upload) started: show the panel. */
  onStarted: () => void;
  onError: (message: string) => void;
  children: ReactNode;
}) {
  const [clipboard, setClipboard] = useState<ClipboardItems | null>(null);
  const [uploads, setUploads] = useState<UploadEntry[]>([]);
  const nextUpload = useRef(1);
  // The Electron drag-out of the row being dragged: its files' cached paths once ready.
  const dragOut = useRef<{ paths: string[] | null; started: boolean } | null>(null);

  const queryClient = useQueryClient();
  /**
   * Runs a call that creates a batch: the panel opens at once, and the list is read again soon (a
   * batch shows while it is planned) and when the call settled.
   */
  const creatingBatch = useCallback(
    async <T,>(call: () => Promise<T>): Promise<T> => {
      onStarted();
      const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.transfers() });
      const soon = setTimeout(refresh, 300);
      try {
        return await call();
      } finally {
        clearTimeout(soon);
        refresh();
      }
    },
    [onStarted, queryClient],
  );

  const askNotifications = useCallback(() => {
    // Asked once, on a user's gesture, so finished transfers can say so while the window is hidden.
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
      void Notification.requestPermission().catch(() => undefined);
    }
  }, []);

  const transferItems = useCallback(
    async (items: DraggedItems, target: FolderTarget, op: TransferOpDto) => {
      askNotifications();
      try {
        await creatingBatch(() =>
          api.startTransfer({
            op,
            source: { accountId: items.accountId, itemIds: items.itemIds },
            destination: { accountId: target.accountId, folderId: target.folderId },
          }),
        );
      } catch (error) {
        onError(
          `Could not ${op} ${items.itemIds.length === 1 ? 'the item' : 'the items'}: ${messageOf(error)}`,
        );
      }
    },
    [api, askNotifications, creatingBatch, onError],
  );

  const patchUpload = useCallback((id: number, patch: Partial<UploadEntry>) => {
    setUploads((list) => list.map((entry) => (entry.id === id ? { ...entry, ...patch } : entry)));
  }, []);

  const uploadFiles = useCallback(
    async (drop: Extract<Drop, { kind: 'files' }>, target: FolderTarget) => {
      askNotifications();
      if (bridge) {
        // Electron: the files are on this computer; the engine reads them from their paths.
        const paths = drop.files.map((file) => bridge.pathForFile(file)).filter((path) => path !== '');
        if (paths.length === 0) {
          onError('These files cannot be copied: they have no place on this computer');
          return;
        }
        try {
          for (const group of groupPathsByParent(paths)) {
            await creatingBatch(() =>
              api.startTransfer({
                op: 'copy',
                source: { paths: group.paths },
                destination: { accountId: target.accountId, folderId: target.folderId },
              }),
            );
          }
        } catch (error) {
          onError(`Could not copy the dropped files: ${messageOf(error)}`);
        }
        return;
      }
      const id = nextUpload.current++;
      setUploads((list) => [
        { id, destination: target, state: 'collecting', progress: null, error: null },
        ...list,
      ]);
      onStarted();
      try {
        const files = await collectDroppedFiles(drop.roots);
        if (files.length === 0) throw new Error('the drop holds no files (empty folders are left out)');
        patchUpload(id, { state: 'sending' });
        await uploadDroppedFiles({
          api: {
            beginUpload: (args) => api.beginUpload(args),
            finishUpload: (args) => creatingBatch(() => api.finishUpload(args)),
          },
          fetch: (url, init) => fetch(url, init),
          destination: target,
          files,
          onProgress: (progress) => patchUpload(id, { progress }),
        });
        // The batch shows in the panel from here on.
        setUploads((list) => list.filter((entry) => entry.id !== id));
      } catch (error) {
        patchUpload(id, { state: 'failed', error: messageOf(error) });
      }
    },
    [api, bridge, askNotifications, creatingBatch, onStarted, onError, patchUpload],
  );

  const drop = useCallback(
    (dropped: Drop, target: FolderTarget) => {
      if (dropped.kind === 'items') void transferItems(dropped.items, target, dropped.op);
      else void uploadFiles(dropped, target);
    },
    [transferItems, uploadFiles],
  );

  const paste = useCallback(
    (target: FolderTarget) => {
      if (!clipboard) return;
      const { op, groups } = clipboard;
      // A cut is used once (the items move away); a copy can be pasted again.
      if (op === 'move') setClipboard(null);
      for (const items of groups) {
        if (items.accountId === target.accountId && items.itemIds.includes(target.folderId)) continue;
        void transferItems(items, target, op);
      }
    },
    [clipboard, transferItems],
  );

  const dragStart = useCallback(
    (event: DragEvent<HTMLElement>, items: DraggedItems, item: ItemDto | null) => {
      const data = event.dataTransfer;
      data.effectAllowed = 'copyMove';
      data.setData(itemsMimeType, encodeDraggedItems(items));
      if (item) data.setData('text/plain', item.name);
      beginItemsDrag(items);
      if (!item || item.kind !== 'file') return;
      if (!bridge) {
        // Chrome: dropping the row on the desktop downloads the file.
        const url = new URL(downloadUrl(item.accountId, item.id), window.location.href).toString();
        data.setData('DownloadURL', downloadUrlData(item.mimeType, item.name, url));
        return;
      }
      // Electron: the file is fetched into the drag cache now; leaving the window drags it out.
      const state: { paths: string[] | null; started: boolean } = { paths: null, started: false };
      dragOut.current = state;
      api
        .cacheForDrag({ accountId: items.accountId, itemIds: items.itemIds })
        .then(({ paths }) => {
          state.paths = paths;
        })
        .catch(() => undefined);
    },
    [api, bridge],
  );

  const dragEnd = useCallback(() => {
    dragOut.current = null;
    endDrag();
  }, []);

  // A drag leaving the window: in Electron, items of ours go on as a native drag of the cached files.
  useEffect(() => {
    if (!bridge) return;
    const onLeave = (event: globalThis.DragEvent) => {
      const state = dragOut.current;
      if (event.relatedTarget !== null || !state || state.started || !state.paths) return;
      state.started = true;
      bridge.startDrag(state.paths);
    };
    document.addEventListener('dragleave', onLeave);
    return () => document.removeEventListener('dragleave', onLeave);
  }, [bridge]);

  // Files dropped anywhere else must not make the browser open them instead of the app.
  useEffect(() => {
    const refuse = (event: globalThis.DragEvent) => {
      if (event.defaultPrevented || !event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'none';
    };
    const clear = () => endDrag();
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    window.addEventListener('drop', clear);
    window.addEventListener('dragend', clear);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
      window.removeEventListener('drop', clear);
      window.removeEventListener('dragend', clear);
    };
  }, []);

  const dismissUpload = useCallback((id: number) => {
    setUploads((list) => list.filter((entry) => entry.id !== id));
  }, []);

  const value = useMemo<TransferUi>(
    () => ({
      mac,
      bridge,
      drop,
      dragStart,
      dragEnd,
      clipboard,
      setClipboard,
      paste,
    }),
    [mac, bridge, drop, dragStart, dragEnd, clipboard, paste],
  );
  const uploadsValue = useMemo<Uploads>(() => ({ uploads, dismissUpload }), [uploads, dismissUpload]);
  return (
    <TransferUiContext value={value}>
      <UploadsContext value={uploadsValue}>{children}</UploadsContext>
    </TransferUiContext>
  );
}
