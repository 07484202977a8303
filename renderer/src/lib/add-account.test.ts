import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import {
  addAccountReducer,
  describeError,
  failureTitle,
  initialAddAccountState,
  isAddAccountOpen,
  type AddAccountAction,
  type AddAccountState,
} from './add-account';

const run = (actions: AddAccountAction[], from: AddAccountState = initialAddAccountState) =>
  actions.reduce(addAccountReducer, from);

const signInEvent = (url: string | null): AddAccountAction => ({
  type: 'event',
  event: { type: 'sign-in', provider: 'gdrive', url },
});

describe('addAccountReducer', () => {
  it('opens on the choices and closes', () => {
    const open = run([{ type: 'open' }]);
    expect(open).toEqual({ step: 'choose', localBusy: false, localError: null });
    expect(isAddAccountOpen(open)).toBe(true);
    expect(run([{ type: 'open' }, { type: 'close' }])).toEqual({ step: 'closed' });
    expect(isAddAccountOpen(initialAddAccountState)).toBe(false);
  });

  it('adds a local folder: busy, then an inline error, then success closes', () => {
    const busy = run([{ type: 'open' }, { type: 'local-start' }]);
    expect(busy).toMatchObject({ step: 'choose', localBusy: true });
    const failed = addAccountReducer(busy, { type: 'local-failed', message: 'Not a folder' });
    expect(failed).toEqual({ step: 'choose', localBusy: false, localError: 'Not a folder' });
    expect(run([{ type: 'local-start' }, { type: 'local-succeeded' }], failed)).toEqual({ step: 'closed' });
  });

  it('waits for the sign-in and shows the link once the engine sends an http(s) URL', () => {
    const waiting = run([{ type: 'open' }, { type: 'cloud-start', provider: 'gdrive', attempt: 1 }]);
    expect(waiting).toEqual({ step: 'signing-in', attempt: 1, provider: 'gdrive', url: null });
    const withLink = addAccountReducer(waiting, signInEvent('https://accounts.google.com/auth?x=1'));
    expect(withLink).toMatchObject({ step: 'signing-in', url: 'https://accounts.google.com/auth?x=1' });
    // The wait ended (url null): the link goes; the call's answer decides the rest.
    expect(addAccountReducer(withLink, signInEvent(null))).toMatchObject({ step: 'signing-in', url: null });
  });

  it('never keeps an unsafe URL', () => {
    const waiting = run([{ type: 'cloud-start', provider: 'gdrive', attempt: 1 }]);
    expect(addAccountReducer(waiting, signInEvent('javascript:alert(1)'))).toBe(waiting);
  });

  it('ignores sign-in events when not waiting, and other events', () => {
    const open = run([{ type: 'open' }]);
    expect(addAccountReducer(open, signInEvent('https://example.com'))).toBe(open);
    const waiting = run([{ type: 'cloud-start', provider: 'gdrive', attempt: 1 }]);
    expect(addAccountReducer(waiting, { type: 'event', event: { type: 'accounts-changed' } })).toBe(waiting);
  });

  it('starts straight from a closed dialog (reconnect banner)', () => {
    expect(run([{ type: 'cloud-start', provider: 'gdrive', attempt: 3 }])).toMatchObject({
      step: 'signing-in',
      attempt: 3,
    });
  });

  it('closes on success and shows a failure with its code', () => {
    const waiting = run([{ type: 'cloud-start', provider: 'gdrive', attempt: 1 }]);
    expect(addAccountReducer(waiting, { type: 'cloud-succeeded', attempt: 1 })).toEqual({ step: 'closed' });
    const failed = addAccountReducer(waiting, {
      type: 'cloud-failed',
      attempt: 1,
      code: 'conflict',
      message: 'me@example.com is already an account',
    });
    expect(failed).toEqual({
      step: 'failed',
      attempt: 1,
      provider: 'gdrive',
      code: 'conflict',
      message: 'me@example.com is already an account',
    });
    // "Try again" starts a new attempt.
    expect(addAccountReducer(failed, { type: 'cloud-start', provider: 'gdrive', attempt: 2 })).toEqual({
      step: 'signing-in',
      attempt: 2,
      provider: 'gdrive',
      url: null,
    });
  });

  it('closes on cancel and ignores the answers of abandoned attempts', () => {
    const waiting = run([{ type: 'cloud-start', provider: 'gdrive', attempt: 1 }]);
    const cancelled = addAccountReducer(waiting, { type: 'cancel' });
    expect(cancelled).toEqual({ step: 'closed' });
    const late = { type: 'cloud-failed', attempt: 1, code: 'permanent', message: 'cancelled' } as const;
    expect(addAccountReducer(cancelled, late)).toBe(cancelled);

    const retry = run([{ type: 'cloud-start', provider: 'gdrive', attempt: 2 }], cancelled);
    expect(addAccountReducer(retry, late)).toBe(retry);
    expect(addAccountReducer(retry, { type: 'cloud-succeeded', attempt: 1 })).toBe(retry);
  });

  it('runs one sign-in at a time', () => {
    const waiting = run([{ type: 'cloud-start', provider: 'gdrive', attempt: 1 }]);
    expect(addAccountReducer(waiting, { type: 'cloud-start', provider: 'gdrive', attempt: 2 })).toBe(waiting);
  });
});

describe('describeError', () => {
  it('keeps a SkyfoldError’s code and message; anything else is permanent', () => {
    expect(describeError(new SkyfoldError('conflict', 'Already added'))).toEqual({
      code: 'conflict',
      message: 'Already added',
    });
    expect(describeError(new Error('boom'))).toEqual({ code: 'permanent', message: 'boom' });
    expect(describeError('')).toEqual({ code: 'permanent', message: 'Something went wrong.' });
  });
});

describe('failureTitle', () => {
  it('names the failure', () => {
    expect(failureTitle('conflict')).toBe('This account is already in Skyfold');
    expect(failureTitle('transient')).toBe('The sign-in timed out');
    expect(failureTitle('permanent')).toBe('Could not add the account');
  });
});
