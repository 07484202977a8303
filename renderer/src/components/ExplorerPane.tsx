/**
 * One pane of the explorer: where it is (its own back/forward history), its toolbar, and what the
 * place shows: the "All clouds" home, the settings page, or a listing (one account's folder, or the
 * merged view of a path over every account) with its selection, actions and context menu.
 */
import { useCallback, useState, type ReactNode } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto, ItemDto, TrashedItemDto } from '../../../common/dto';
import type { Toast } from '../hooks/use-toasts';
import type { FolderTarget } from '../lib/drag-drop';
import { currentLocation, visit, type PaneHistory, type PaneLocation } from '../lib/pane-location';
import './explorer.css';
import { ListingPane } from './ListingPane';
import { PagePane } from './PagePane';

export interface ExplorerPaneProps {
  api: SkyfoldApi;
  accounts: readonly AccountDto[];
  /** "Left pane" / "Right pane" in split view; null with one pane. */
  name: string | null;
  active: boolean;
  onActivate: () => void;
  history: PaneHistory;
  onHistoryChange: (history: PaneHistory) => void;
  split: boolean;
  onToggleSplit: () => void;
  /** The other pane's folder, for "copy/move to other pane"; null when it is not one account's folder. */
  otherTarget: FolderTarget | null;
  /** The search box (first pane only) and the search results to show instead of the listing. */
  searchBox?: ReactNode;
  search?: ReactNode;
  /** More toolbar buttons (the transfers toggle). */
  extraActions?: ReactNode;
  /** An item to focus once `location` is listed (a search result's file); each one is used once. */
  reveal?: { location: PaneLocation; itemId: string } | null;
  /** The item the active pane's focus is on (the preview panel shows it). */
  onFocusItem: (item: ItemDto | null) => void;
  onPreview: (tab: 'preview' | 'properties') => void;
  /** The last trash, for Undo; the pane reports what it trashed. */
  lastTrash: readonly TrashedItemDto[] | null;
  onTrashed: (trashed: TrashedItemDto[]) => void;
  onUndoTrash: () => void;
  toast: (toast: Omit<Toast, 'id'>) => void;
  onAddAccount: () => void;
  /** The settings page, rendered by the app (it owns accounts and theme). */
  settings: () => ReactNode;
  mac: boolean;
}

export function ExplorerPane(props: ExplorerPaneProps) {
  const location = currentLocation(props.history);
  const navigate = useCallback(
    (next: PaneLocation) => props.onHistoryChange(visit(props.history, next)),
    [props],
  );
  const listing = location.view === 'folder' || location.view === 'merged';
  // Kept here: a hint may lead into another account's listing (a new ListingPane).
  const [hint, setHint] = useState<FocusHint | null>(null);
  return (
    <section
      className={props.active ? 'pane active' : 'pane'}
      aria-label={props.name ?? undefined}
      data-testid="pane"
      data-active={props.active || undefined}
      onFocusCapture={props.active ? undefined : props.onActivate}
      onPointerDownCapture={props.active ? undefined : props.onActivate}
    >
      {listing ? (
        <ListingPane
          key={location.view === 'folder' ? `folder:${location.accountId}` : 'merged'}
          {...props}
          location={location}
          navigate={navigate}
          hint={hint}
          onHint={setHint}
        />
      ) : (
        <PagePane {...props} location={location} navigate={navigate} />
      )}
    </section>
  );
}

export type Navigate = (location: PaneLocation) => void;

/** A row to focus once a place is listed: a folder by name, or an item by id. */
export type FocusHint =
  { location: PaneLocation; folderName: string } | { location: PaneLocation; itemId: string };
