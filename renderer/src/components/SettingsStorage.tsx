/** Settings: the data directory, the index's size, and rebuilding the index (confirmed first). */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import { formatCount, formatSize } from '../lib/format';
import { queryKeys } from '../lib/query-keys';
import { Modal } from './Modal';
import { FormOutcome, SettingsSection, errorText } from './SettingsParts';

export function SettingsStorage({ api }: { api: SkyfoldApi }) {
  const info = useQuery({ queryKey: queryKeys.indexInfo(), queryFn: () => api.getIndexInfo({}) });
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const rebuild = useMutation({ mutationFn: () => api.rebuildIndex({}) });
  const data = info.data;
  return (
    <SettingsSection title="Storage">
      {info.isError ? (
        <p className="settings-error" role="alert">
          Could not read the index: {errorText(info.error)}
        </p>
      ) : null}
      {data ? (
        <dl className="settings-facts">
          <dt>Data folder</dt>
          <dd className="settings-inline">
            <code data-testid="data-dir">{data.dataDir}</code>
            <button
              type="button"
              className="button button-small button-secondary"
              aria-label="Copy the data folder's path"
              onClick={() => {
                navigator.clipboard.writeText(data.dataDir).then(
                  () => setCopied('Path copied.'),
                  () => setCopied('Could not copy: select the path and copy it instead.'),
                );
              }}
            >
              Copy
            </button>
          </dd>
          <dt>Index</dt>
          <dd data-testid="index-size">
            {formatSize(data.indexBytes)} · {formatCount(data.items, 'item')}
          </dd>
          <dt>Thumbnail cache</dt>
          <dd>{formatSize(data.thumbnailBytes)}</dd>
        </dl>
      ) : null}
      <p className="settings-status" role="status">
        {copied ?? ''}
      </p>
      <div className="settings-actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={rebuild.isPending}
          onClick={() => setConfirming(true)}
        >
          Rebuild index…
        </button>
      </div>
      <FormOutcome
        error={rebuild.isError ? errorText(rebuild.error) : null}
        status={
          rebuild.isSuccess
            ? 'Rebuilding the index: every account is listed again. Browsing and search keep working meanwhile.'
            : ''
        }
      />
      {confirming ? (
        <RebuildDialog
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            rebuild.mutate();
          }}
        />
      ) : null}
    </SettingsSection>
  );
}

function RebuildDialog({ onCancel, onConfirm }: { onCancel: () => void; onConfirm: () => void }) {
  const titleId = useId();
  const textId = useId();
  return (
    <Modal
      role="alertdialog"
      labelledBy={titleId}
      describedBy={textId}
      onClose={onCancel}
      testId="rebuild-index-dialog"
    >
      <h2 className="modal-title" id={titleId}>
        Rebuild the index?
      </h2>
      <p className="modal-text" id={textId}>
        Skyfold lists every account again from the start. The current index stays usable for browsing and
        search until each account&apos;s new listing is complete. Your files are not touched; a large account
        can take a while.
      </p>
      <div className="modal-actions">
        <button type="button" className="button button-secondary" data-autofocus onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button" onClick={onConfirm}>
          Rebuild index
        </button>
      </div>
    </Modal>
  );
}
