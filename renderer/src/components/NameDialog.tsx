/** Asks for a name (a new folder's): the engine decides whether the provider accepts it and says why not. */
import { useId, useState } from 'react';
import { Modal } from './Modal';

export function NameDialog({
  title,
  label,
  initial,
  confirm,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  title: string;
  label: string;
  initial: string;
  confirm: string;
  busy: boolean;
  error: string | null;
  onSubmit: (name: string) => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const errorId = useId();
  const [name, setName] = useState(initial);
  return (
    <Modal labelledBy={titleId} onClose={onCancel} testId="name-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim() !== '') onSubmit(name);
        }}
      >
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <label className="name-dialog-field">
          <span className="field-label">{label}</span>
          <input
            className="field"
            data-autofocus
            value={name}
            onChange={(event) => setName(event.target.value)}
            onFocus={(event) => event.currentTarget.select()}
            aria-invalid={error !== null || undefined}
            aria-describedby={error !== null ? errorId : undefined}
          />
        </label>
        {error !== null ? (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={busy || name.trim() === ''}>
            {confirm}
          </button>
        </div>
      </form>
    </Modal>
  );
}
