/** Confirms removing an account: says what happens (files untouched; clouds are signed out of). */
import { useId } from 'react';
import type { AccountDto } from '../../../common/dto';
import { removalExplanation } from '../lib/accounts';
import { Modal } from './Modal';

export function RemoveAccountDialog({
  account,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  account: AccountDto;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const textId = useId();
  return (
    <Modal
      role="alertdialog"
      labelledBy={titleId}
      describedBy={textId}
      onClose={onCancel}
      testId="remove-account-dialog"
    >
      <h2 className="modal-title" id={titleId}>
        Remove {account.name}?
      </h2>
      <p className="modal-text" id={textId}>
        {removalExplanation(account)}
      </p>
      {error ? (
        <p className="modal-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="modal-actions">
        <button type="button" className="button button-secondary" data-autofocus onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={busy} onClick={onConfirm}>
          {busy ? 'Removing…' : 'Remove'}
        </button>
      </div>
    </Modal>
  );
}
