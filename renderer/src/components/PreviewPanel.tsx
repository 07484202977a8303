/**
 * The side panel beside the file list: a quick preview of the focused item (images, text, PDF)
 * and its properties (name, type, size, date, account, path, the hashes the index knows, and a
 * button that opens the item's page in the provider's web UI). A complementary landmark named
 * "Preview and properties" with an ARIA tab list; Escape closes it while focus is inside.
 *
 * File bytes come from the host's preview address (`previewUrl`), which serves images, text and
 * PDF only, sandboxed (common/uploads.ts). The web page address comes from the engine (it builds
 * it); where the host cannot open a browser, the page opens it only if `isProviderWebUrl` agrees.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import { providerLabels, type ItemDto, type ProviderKind } from '../../../common/dto';
import { fileTypeLabel } from '../../../common/file-types';
import { previewUrl } from '../../../common/uploads';
import { useNow } from '../hooks/use-now';
import { displayName, formatFullDate, formatModified, formatSize } from '../lib/format';
import { iconKind } from '../lib/icons';
import {
  fetchPreview,
  hashRows,
  isProviderWebUrl,
  isTruncated,
  PreviewRequestError,
  previewKind,
  tabForKey,
  type PanelTab,
} from '../lib/preview';
import { queryKeys } from '../lib/query-keys';
import { CloseIcon, FileIcon } from './Icons';
import { PdfPreview } from './PdfPreview';
import './preview-panel.css';

export interface PreviewPanelProps {
  api: SkyfoldApi;
  /** The item shown; null shows a hint to pick one. */
  item: ItemDto | null;
  /** The display name of an account, by id. */
  accountName: (accountId: string) => string;
  onClose: () => void;
  tab: PanelTab;
  onTabChange: (tab: PanelTab) => void;
}

const tabs: ReadonlyArray<{ tab: PanelTab; label: string }> = [
  { tab: 'preview', label: 'Preview' },
  { tab: 'properties', label: 'Properties' },
];

/** The item's content version: a preview of other bytes is a new mount. */
const versionKey = (item: ItemDto) => `${item.accountId}\n${item.id}\n${item.size}\n${item.modifiedAt}`;

export function PreviewPanel({ api, item, accountName, onClose, tab, onTabChange }: PreviewPanelProps) {
  const baseId = useId();
  const tabId = (which: PanelTab) => `${baseId}-tab-${which}`;
  const panelId = (which: PanelTab) => `${baseId}-panel-${which}`;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    event.stopPropagation();
    onClose();
  };
  const onTabKeyDown = (event: KeyboardEvent) => {
    const next = tabForKey(tab, event.key);
    if (next === null) return;
    event.preventDefault();
    onTabChange(next);
    document.getElementById(tabId(next))?.focus();
  };

  return (
    <aside
      className="preview-panel"
      aria-label="Preview and properties"
      data-testid="preview-panel"
      onKeyDown={onKeyDown}
    >
      <header className="preview-head">
        {item ? <FileIcon kind={iconKind(item)} /> : null}
        <h2 className="preview-title" title={item ? displayName(item.name) : undefined}>
          {item ? displayName(item.name) : 'Nothing selected'}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close preview and properties"
          title="Close (Esc)"
          onClick={onClose}
        >
          <CloseIcon />
        </button>
      </header>
      <div className="preview-tabs" role="tablist" aria-label="Show" onKeyDown={onTabKeyDown}>
        {tabs.map(({ tab: which, label }) => (
          <button
            key={which}
            type="button"
            role="tab"
            id={tabId(which)}
            className="preview-tab"
            aria-selected={tab === which}
            aria-controls={panelId(which)}
            tabIndex={tab === which ? 0 : -1}
            onClick={() => onTabChange(which)}
          >
            {label}
          </button>
        ))}
      </div>
      {tabs.map(({ tab: which }) => (
        <div
          key={which}
          role="tabpanel"
          id={panelId(which)}
          className="preview-body"
          aria-labelledby={tabId(which)}
          tabIndex={0}
          hidden={tab !== which}
          data-testid={`${which}-tab-panel`}
        >
          {tab !== which ? null : item === null ? (
            <p className="preview-hint">Select a file to see its {which}.</p>
          ) : which === 'preview' ? (
            <Preview key={versionKey(item)} item={item} />
          ) : (
            <Properties
              key={`${item.accountId}\n${item.id}`}
              api={api}
              item={item}
              accountName={accountName}
            />
          )}
        </div>
      ))}
    </aside>
  );
}

function Preview({ item }: { item: ItemDto }) {
  const url = previewUrl(item.accountId, item.id);
  switch (previewKind(item)) {
    case 'image':
      return <ImagePreview url={url} name={displayName(item.name)} />;
    case 'text':
      return <TextPreview url={url} item={item} />;
    case 'pdf':
      return <PdfPreview url={url} name={displayName(item.name)} />;
    case 'none':
      return <NoPreview item={item} />;
  }
}

function NoPreview({ item }: { item: ItemDto }) {
  return (
    <div className="state preview-none" data-testid="no-preview">
      <span className="preview-none-icon">
        <FileIcon kind={iconKind(item)} />
      </span>
      <p className="state-title">No preview for this kind of file</p>
      <p className="state-text">{fileTypeLabel(item)}</p>
    </div>
  );
}

function PreviewLoading() {
  return (
    <div className="state" role="status" data-testid="preview-loading">
      <span className="spinner" aria-hidden="true" />
      <p className="state-title">Loading the preview…</p>
    </div>
  );
}

function PreviewError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="state state-error" role="alert" data-testid="preview-error">
      <p className="state-title">No preview</p>
      <p className="state-text">{message}</p>
      <button type="button" className="button button-secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

/**
 * An <img> of the preview address. The element reports a failure but not why, so a failure asks
 * the host once more for its status (a refusal's body is short).
 */
function ImagePreview({ url, name }: { url: string; name: string }) {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<'loading' | 'shown' | 'failed'>('loading');
  const [message, setMessage] = useState('');

  const onError = () => {
    setState('failed');
    fetchPreview(url).then(
      (response) => {
        void response.body?.cancel();
        setMessage('This image is damaged or in a form the browser cannot draw.');
      },
      (error: unknown) =>
        setMessage(error instanceof PreviewRequestError ? error.message : 'The preview could not be loaded.'),
    );
  };

  if (state === 'failed') {
    return (
      <PreviewError
        message={message || 'The image could not be shown.'}
        onRetry={() => {
          setState('loading');
          setMessage('');
          setAttempt((n) => n + 1);
        }}
      />
    );
  }
  return (
    <div className="preview-image">
      {state === 'loading' ? <PreviewLoading /> : null}
      <img
        key={attempt}
        src={url}
        alt={name}
        data-testid="preview-image"
        hidden={state !== 'shown'}
        onLoad={() => setState('shown')}
        onError={onError}
      />
    </div>
  );
}

function TextPreview({ url, item }: { url: string; item: ItemDto }) {
  const text = useQuery({
    queryKey: queryKeys.previewText(item.accountId, item.id, item.size, item.modifiedAt),
    queryFn: async ({ signal }) => {
      const response = await fetchPreview(url, signal);
      return { text: await response.text(), truncated: isTruncated(response.headers) };
    },
    retry: false,
    // A file's start can be large: keep it only while it might be shown again soon.
    gcTime: 60_000,
  });
  if (text.isPending) return <PreviewLoading />;
  if (text.isError) return <PreviewError message={text.error.message} onRetry={() => void text.refetch()} />;
  return (
    <div className="preview-text-wrap">
      {text.data.truncated ? (
        <p className="preview-note" data-testid="preview-truncated">
          Showing the start of the file only{item.size !== null ? ` (it holds ${formatSize(item.size)})` : ''}
          .
        </p>
      ) : null}
      {text.data.text === '' ? (
        <p className="preview-hint">This file is empty.</p>
      ) : (
        <pre className="preview-text" data-testid="preview-text">
          {text.data.text}
        </pre>
      )}
    </div>
  );
}

function Properties({
  api,
  item,
  accountName,
}: {
  api: SkyfoldApi;
  item: ItemDto;
  accountName: (accountId: string) => string;
}) {
  const now = useNow();
  const ref = { accountId: item.accountId, itemId: item.id };
  const details = useQuery({
    queryKey: queryKeys.itemDetails(item.accountId, item.id),
    queryFn: () => api.itemDetails(ref),
  });
  // The app keeps the account list cached under this key: no request of its own.
  const accounts = useQuery({ queryKey: queryKeys.accounts(), queryFn: () => api.listAccounts({}) });
  const provider = accounts.data?.find((account) => account.id === item.accountId)?.provider;
  const current = details.data?.item ?? item;
  const pending = details.isPending ? '…' : '';

  return (
    <div className="properties">
      <dl className="properties-list" data-testid="properties">
        <Property label="Name" value={displayName(current.name)} />
        <Property label="Type" value={fileTypeLabel(current)} />
        {current.size !== null ? (
          <Property
            label="Size"
            value={formatSize(current.size)}
            title={`${current.size.toLocaleString()} bytes`}
          />
        ) : null}
        {current.modifiedAt !== null ? (
          <Property
            label="Modified"
            value={formatModified(current.modifiedAt, { now })}
            title={formatFullDate(current.modifiedAt)}
          />
        ) : null}
        <Property label="Account" value={accountName(current.accountId)} />
        <Property label="Path" value={details.data ? displayName(details.data.path) : pending} />
      </dl>
      {details.isError ? (
        <p className="inline-alert" role="alert">
          Could not load the details: {details.error.message}
        </p>
      ) : null}
      {details.data ? <Hashes hashes={details.data.hashes} kind={current.kind} /> : null}
      {details.data?.webUrl && provider ? (
        <OpenInBrowser api={api} item={current} provider={provider} />
      ) : null}
    </div>
  );
}

function Property({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div className="property">
      <dt>{label}</dt>
      <dd title={title} data-testid={`property-${label.toLowerCase()}`}>
        {value}
      </dd>
    </div>
  );
}

function Hashes({ hashes, kind }: { hashes: Record<string, string>; kind: ItemDto['kind'] }) {
  const rows = hashRows(hashes);
  const headingId = useId();
  const [copied, setCopied] = useState('');
  if (kind === 'folder') return null;
  return (
    <section className="hashes" aria-labelledby={headingId}>
      <h3 className="properties-heading" id={headingId}>
        Hashes
      </h3>
      {rows.length === 0 ? (
        <p className="preview-hint">None known yet.</p>
      ) : (
        <dl className="properties-list">
          {rows.map((row) => (
            <div className="property hash" key={row.type} data-testid="hash">
              <dt>{row.label}</dt>
              <dd>
                <code className="hash-value">{row.value}</code>
                <CopyButton label={row.label} value={row.value} onCopied={setCopied} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      <p className="preview-sr-only" role="status">
        {copied}
      </p>
    </section>
  );
}

/** Copies a hash to the clipboard; tells `onCopied` what to announce. */
function CopyButton({
  label,
  value,
  onCopied,
}: {
  label: string;
  value: string;
  onCopied: (announcement: string) => void;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => {
        setState('copied');
        onCopied(`${label} copied`);
      },
      () => {
        setState('failed');
        onCopied(`${label} could not be copied`);
      },
    );
  return (
    <button
      type="button"
      className="button button-small button-secondary hash-copy"
      onClick={() => void copy()}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Not copied' : 'Copy'}
      <span className="preview-sr-only"> {label}</span>
    </button>
  );
}

/**
 * "Open in Google Drive" (Dropbox, OneDrive). The engine opens the system browser itself where it
 * can; otherwise the page opens the address the engine built, once `isProviderWebUrl` agrees.
 */
function OpenInBrowser({ api, item, provider }: { api: SkyfoldApi; item: ItemDto; provider: ProviderKind }) {
  const label = providerLabels[provider];
  const open = useMutation({
    mutationFn: async () => {
      const { url, opened } = await api.openInBrowser({ accountId: item.accountId, itemId: item.id });
      if (opened) return;
      if (!isProviderWebUrl(url, provider)) throw new Error(`That address is not a ${label} page.`);
      window.open(url, '_blank', 'noopener,noreferrer');
    },
  });
  return (
    <div className="properties-actions">
      <button type="button" className="button" disabled={open.isPending} onClick={() => open.mutate()}>
        Open in {label}
      </button>
      {open.error ? (
        <p className="inline-alert" role="alert">
          Could not open it: {open.error.message}
        </p>
      ) : null}
    </div>
  );
}
