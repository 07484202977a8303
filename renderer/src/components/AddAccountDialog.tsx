/** The "Add account" dialog: a cloud (browser sign-in) or a local folder. State lives in useAddAccount. */
import { useId, useState } from 'react';
import type { AddAccountController } from '../hooks/use-add-account';
import { cloudOwners, cloudProviderKinds } from '../../../common/dto';
import { providerLabels } from '../lib/accounts';
import { failureTitle } from '../lib/add-account';
import { isHttpUrl } from '../lib/urls';
import { ProviderIcon } from './Icons';
import { Modal } from './Modal';

export function AddAccountDialog({ controller }: { controller: AddAccountController }) {
  const { state } = controller;
  const titleId = useId();
  const pathId = useId();
  const [path, setPath] = useState('');

  if (state.step === 'closed') return null;

  let body;
  if (state.step === 'choose') {
    body = (
      <>
        <h2 className="modal-title" id={titleId}>
          Add account
        </h2>
        {cloudProviderKinds.map((provider, index) => (
          <button
            key={provider}
            type="button"
            className="choice"
            data-autofocus={index === 0 ? true : undefined}
            data-testid={`add-${provider}`}
            onClick={() => controller.signIn(provider)}
          >
            <ProviderIcon provider={provider} />
            <span>{providerLabels[provider]}</span>
          </button>
        ))}
        <form
          className="local-form"
          onSubmit={(event) => {
            event.preventDefault();
            const trimmed = path.trim();
            if (trimmed) controller.addLocal(trimmed);
          }}
        >
          <label htmlFor={pathId} className="field-label">
            Folder path
          </label>
          <div className="field-row">
            <input
              id={pathId}
              className="field"
              type="text"
              value={path}
              placeholder="/home/me/Documents"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={state.localError ? true : undefined}
              onChange={(event) => setPath(event.target.value)}
            />
            <button type="submit" className="button" disabled={state.localBusy || path.trim() === ''}>
              {state.localBusy ? 'Adding…' : 'Add folder'}
            </button>
          </div>
          {state.localError ? (
            <p className="field-error" role="alert" data-testid="add-local-error">
              {state.localError}
            </p>
          ) : null}
        </form>
        <div className="modal-actions">
          <button type="button" className="button button-secondary" onClick={controller.close}>
            Close
          </button>
        </div>
      </>
    );
  } else if (state.step === 'signing-in') {
    const provider = providerLabels[state.provider];
    body = (
      <>
        <h2 className="modal-title" id={titleId}>
          Sign in to {provider}
        </h2>
        <div className="sign-in-wait" role="status" data-testid="sign-in-waiting">
          <span className="spinner" aria-hidden="true" />
          <p>Waiting for you to sign in to {provider} in your browser…</p>
        </div>
        {state.url !== null && isHttpUrl(state.url) ? (
          <p className="sign-in-link">
            If no browser page opened,{' '}
            <a href={state.url} target="_blank" rel="noopener noreferrer" data-testid="sign-in-link">
              Open the {cloudOwners[state.provider]} sign-in page
            </a>
          </p>
        ) : null}
        <div className="modal-actions">
          <button
            type="button"
            className="button button-secondary"
            data-autofocus
            onClick={controller.cancelSignIn}
          >
            Cancel
          </button>
        </div>
      </>
    );
  } else {
    body = (
      <>
        <h2 className="modal-title" id={titleId}>
          {failureTitle(state.code)}
        </h2>
        <p className="modal-error" role="alert" data-testid="add-account-error">
          {state.message}
        </p>
        <div className="modal-actions">
          <button type="button" className="button button-secondary" onClick={controller.close}>
            Close
          </button>
          <button
            type="button"
            className="button"
            data-autofocus
            onClick={() => controller.signIn(state.provider)}
          >
            Try again
          </button>
        </div>
      </>
    );
  }

  return (
    <Modal
      key={state.step}
      label="Add account"
      onClose={controller.close}
      className="add-account"
      testId="add-account-dialog"
    >
      {body}
    </Modal>
  );
}
