import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto, CloudProviderKind } from '../../../common/dto';
import { withAccount } from '../lib/accounts';
import {
  addAccountReducer,
  describeError,
  initialAddAccountState,
  type AddAccountState,
} from '../lib/add-account';
import { queryKeys } from '../lib/query-keys';

export interface AddAccountController {
  state: AddAccountState;
  open: () => void;
  close: () => void;
  addLocal: (path: string) => void;
  /** Starts a browser sign-in (from the dialog, "Try again", or a reconnect banner). */
  signIn: (provider: CloudProviderKind) => void;
  cancelSignIn: () => void;
}

/**
 * Drives the "Add account" dialog: calls the API, feeds `sign-in` events to the reducer, and on success
 * puts the new account in the cached list (so it can be selected at once) and refetches the list.
 */
export function useAddAccount(api: SkyfoldApi, onAdded: (account: AccountDto) => void): AddAccountController {
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(addAccountReducer, initialAddAccountState);
  const stateRef = useRef(state);
  const attempts = useRef(0);
  const onAddedRef = useRef(onAdded);
  useLayoutEffect(() => {
    stateRef.current = state;
    onAddedRef.current = onAdded;
  });

  useEffect(() => api.onEvent((event) => dispatch({ type: 'event', event })), [api]);

  const added = useCallback(
    (account: AccountDto) => {
      queryClient.setQueryData<AccountDto[]>(queryKeys.accounts(), (list) => withAccount(list, account));
      void queryClient.invalidateQueries({ queryKey: queryKeys.accounts() });
      onAddedRef.current(account);
    },
    [queryClient],
  );

  const open = useCallback(() => dispatch({ type: 'open' }), []);

  const cancelSignIn = useCallback(() => {
    if (stateRef.current.step === 'signing-in') {
      api.cancelSignIn({}).catch(() => undefined); // idempotent; the dialog is gone either way
    }
    dispatch({ type: 'cancel' });
  }, [api]);

  const addLocal = useCallback(
    (path: string) => {
      if (stateRef.current.step !== 'choose' || stateRef.current.localBusy) return;
      dispatch({ type: 'local-start' });
      api.addLocalAccount({ path }).then(
        (account) => {
          dispatch({ type: 'local-succeeded' });
          added(account);
        },
        (error: unknown) => dispatch({ type: 'local-failed', message: describeError(error).message }),
      );
    },
    [api, added],
  );

  const signIn = useCallback(
    (provider: CloudProviderKind) => {
      if (stateRef.current.step === 'signing-in') return;
      const attempt = ++attempts.current;
      dispatch({ type: 'cloud-start', provider, attempt });
      api.addCloudAccount({ provider }).then(
        (account) => {
          const current = stateRef.current;
          dispatch({ type: 'cloud-succeeded', attempt });
          // Added even if the user gave up waiting meanwhile: show it, but only select it when still asked to.
          if (current.step === 'signing-in' && current.attempt === attempt) added(account);
          else void queryClient.invalidateQueries({ queryKey: queryKeys.accounts() });
        },
        (error: unknown) => dispatch({ type: 'cloud-failed', attempt, ...describeError(error) }),
      );
    },
    [api, added, queryClient],
  );

  return { state, open, close: cancelSignIn, addLocal, signIn, cancelSignIn };
}
