/** Inline SVG icons (no icon font, no remote assets: the CSP allows only 'self'). All decorative. */
import type { ProviderKind, SyncState } from '../../../common/dto';
import type { IconKind } from '../lib/icons';

const page = 'M6.5 2.75h7.25l4.5 4.5v13a1 1 0 0 1-1 1H6.5a1 1 0 0 1-1-1V3.75a1 1 0 0 1 1-1z';
const fold = 'M13.75 2.75v3.5a1 1 0 0 0 1 1h3.5';

function Glyph({ kind }: { kind: IconKind }) {
  switch (kind) {
    case 'image':
      return <path d="M8 17.5l2.75-3.5 2 2.25 1.5-1.75 2 3z" className="glyph-fill" />;
    case 'video':
      return <path d="M10 11.5v5.5l4.5-2.75z" className="glyph-fill" />;
    case 'audio':
      return (
        <path
          d="M13.5 10.5v5.25a1.75 1.75 0 1 1-1-1.58V11.5l2.75-.75v-1z"
          className="glyph-fill"
          strokeLinejoin="round"
        />
      );
    case 'archive':
      return <path d="M11.5 5v1.5h1V8h-1v1.5h1V11h-1v1.5h1v2h-1.5v2.5h2v-2.5" className="glyph-stroke" />;
    case 'code':
      return (
        <path d="M10.25 12.25 8.5 14.5l1.75 2.25M13.75 12.25l1.75 2.25-1.75 2.25" className="glyph-stroke" />
      );
    case 'pdf':
    case 'document':
    case 'text':
      return <path d="M8.5 11h7M8.5 13.5h7M8.5 16h4.5" className="glyph-stroke" />;
    case 'spreadsheet':
      return <path d="M8.5 10.5h7v7h-7zM8.5 14h7M12 10.5v7" className="glyph-stroke" />;
    case 'presentation':
      return <path d="M8.5 11h7v4.5h-7zM12 15.5v2" className="glyph-stroke" />;
    default:
      return null;
  }
}

export function FileIcon({ kind }: { kind: IconKind }) {
  if (kind === 'folder') {
    return (
      <svg className="icon icon-folder" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M3 6.25A1.75 1.75 0 0 1 4.75 4.5h4.1c.46 0 .9.18 1.23.5l1.67 1.62h7.5A1.75 1.75 0 0 1 21 8.37v9.88A1.75 1.75 0 0 1 19.25 20H4.75A1.75 1.75 0 0 1 3 18.25z" />
      </svg>
    );
  }
  return (
    <svg className={`icon icon-file icon-${kind}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={page} className="page" />
      <path d={fold} className="fold" />
      <Glyph kind={kind} />
    </svg>
  );
}

export function ProviderIcon({ provider }: { provider: ProviderKind }) {
  if (provider === 'local') {
    return (
      <svg className="icon icon-provider" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M3.5 13.5 6 5.75A1.5 1.5 0 0 1 7.43 4.75h9.14a1.5 1.5 0 0 1 1.43 1l2.5 7.75M3.5 13.5h17v4.75a1 1 0 0 1-1 1h-15a1 1 0 0 1-1-1zM16.5 16.25h.01" />
      </svg>
    );
  }
  if (provider === 'dropbox') {
    return (
      <svg className="icon icon-provider" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M7 4.5 2.5 7.5 7 10.5l5-3zM17 4.5l-5 3 5 3 4.5-3zM2.5 13.5 7 16.5l5-3-5-3zM21.5 13.5 17 10.5l-5 3 5 3zM7 18l5 3 5-3" />
      </svg>
    );
  }
  if (provider === 'onedrive') {
    // Two overlapping clouds, after OneDrive's mark.
    return (
      <svg className="icon icon-provider" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M9.5 9.6a5 5 0 0 1 9.1 1.9 3.5 3.5 0 0 1-.35 6.99H8.5M6.25 18.5a3.75 3.75 0 0 1-.6-7.45 5 5 0 0 1 8.35-2.3" />
      </svg>
    );
  }
  return (
    <svg className="icon icon-provider" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M7 18.5h10.25a4 4 0 0 0 .6-7.96 5.5 5.5 0 0 0-10.6-1.3A4.75 4.75 0 0 0 7 18.5z" />
    </svg>
  );
}

export function UpIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 19V5M5.5 11.5 12 5l6.5 6.5" />
    </svg>
  );
}

export function ArrowIcon({ direction }: { direction: 'left' | 'right' }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d={direction === 'left' ? 'M19 12H5M11.5 5.5 5 12l6.5 6.5' : 'M5 12h14M12.5 5.5 19 12l-6.5 6.5'}
      />
    </svg>
  );
}

export function GridIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M4.5 4.5h6v6h-6zM13.5 4.5h6v6h-6zM4.5 13.5h6v6h-6zM13.5 13.5h6v6h-6z" />
    </svg>
  );
}

export function ListIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M8.5 6.5h11M8.5 12h11M8.5 17.5h11M4.5 6.5h.01M4.5 12h.01M4.5 17.5h.01" />
    </svg>
  );
}

export function SplitIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M4.5 5.5h15v13h-15zM12 5.5v13" />
    </svg>
  );
}

export function DownloadIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 4.5v11M6.5 10.5 12 16l5.5-5.5M5 19.5h14" />
    </svg>
  );
}

export function RefreshIcon({ spinning = false }: { spinning?: boolean }) {
  return (
    <svg className={spinning ? 'icon spin' : 'icon'} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 4.5v4h-4" />
    </svg>
  );
}

export function ChevronIcon() {
  return (
    <svg className="icon chevron" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="m9.5 6 6 6-6 6" />
    </svg>
  );
}

export function SortIcon({ direction }: { direction: 'asc' | 'desc' | null }) {
  return (
    <svg
      className={`icon sort-icon ${direction ?? 'none'}`}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d={direction === 'desc' ? 'm7 10 5 5 5-5' : 'm7 14 5-5 5 5'} />
    </svg>
  );
}

export function PlusIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 5v14M5 12h14" />
    </svg>
  );
}

export function TrashIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M4.5 7h15M9.5 7V4.75h5V7M6.5 7l.8 12.25a1 1 0 0 0 1 .9h7.4a1 1 0 0 0 1-.9L17.5 7M10 10.5v6M14 10.5v6" />
    </svg>
  );
}

export function SearchIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M10.5 17.5a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM15.5 15.5l5 5" />
    </svg>
  );
}

export function CloseIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="m7 7 10 10M17 7 7 17" />
    </svg>
  );
}

/** Marks the sync states that need attention (offline, failed); the others show text only. */
export function SyncStateIcon({ state }: { state: SyncState['state'] }) {
  if (state === 'offline') {
    return (
      <svg className="icon icon-sync" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M7 18.5h10a4 4 0 0 0 .6-7.95A5.5 5.5 0 0 0 7.1 9.6 4.5 4.5 0 0 0 7 18.5zM4 4l16 16" />
      </svg>
    );
  }
  if (state === 'error') {
    return (
      <svg className="icon icon-sync" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 3.5 21.5 20h-19zM12 10v4.5M12 17.25v.01" />
      </svg>
    );
  }
  return null;
}
