/**
 * The "Add account" dialog as a state machine (pure): choose a provider or a local folder, wait for
 * the browser sign-in (showing the sign-in link when the engine sends one), then close or show what
 * went wrong. Each cloud attempt has a number, so a late answer from an abandoned attempt (cancelled,
 * dialog closed, tried again) changes nothing.
 */
import type { EngineEvent } from '../../../common/contract';
import type { CloudProviderKind } from '../../../common/dto';
import { SkyfoldError, type ErrorCode } from '../../../common/errors';
import { isHttpUrl } from './urls';

export type AddAccountState =
  | { step: 'closed' }
  | {
      step: 'choose';
      /** Adding a local folder is under way. */
      localBusy: boolean;
      localError: string | null;
    }
  | {
      step: 'signing-in';
      attempt: number;
      provider: CloudProviderKind;
      /** The page to open in a browser, once the engine sent it (always http(s)). */
      url: string | null;
    }
  | {
      step: 'failed';
      attempt: number;
      provider: CloudProviderKind;
      code: ErrorCode;
      message: string;
    };

export type AddAccountAction =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'local-start' }
  | { type: 'local-failed'; message: string }
  | { type: 'local-succeeded' }
  /** Starts a sign-in: from the choices, "Try again", or a reconnect banner (dialog closed). */
  | { type: 'cloud-start'; provider: CloudProviderKind; attempt: number }
  | { type: 'event'; event: EngineEvent }
  | { type: 'cloud-failed'; attempt: number; code: ErrorCode; message: string }
  | { type: 'cloud-succeeded'; attempt: number }
  /** The user pressed Cancel while waiting: the dialog closes; the rejection that follows is ignored. */
  | { type: 'cancel' };

export const initialAddAccountState: AddAccountState = { step: 'closed' };
const closed: AddAccountState = initialAddAccountState;

export function addAccountReducer(state: AddAccountState, action: AddAccountAction): AddAccountState {
  switch (action.type) {
    case 'open':
      return state.step === 'closed' ? { step: 'choose', localBusy: false, localError: null } : state;
    case 'close':
    case 'cancel':
      return closed;
    case 'local-start':
      return state.step === 'choose' ? { ...state, localBusy: true, localError: null } : state;
    case 'local-failed':
      return state.step === 'choose' ? { ...state, localBusy: false, localError: action.message } : state;
    case 'local-succeeded':
      return state.step === 'choose' ? closed : state;
    case 'cloud-start':
      if (state.step === 'signing-in') return state; // one sign-in at a time
      return { step: 'signing-in', attempt: action.attempt, provider: action.provider, url: null };
    case 'event': {
      const { event } = action;
      if (event.type !== 'sign-in' || state.step !== 'signing-in' || event.provider !== state.provider) {
        return state;
      }
      // url null: the engine's wait ended; the addCloudAccount answer follows and decides what we show.
      const url = isHttpUrl(event.url) ? event.url : null;
      return url === state.url ? state : { ...state, url };
    }
    case 'cloud-failed':
      if (state.step !== 'signing-in' || state.attempt !== action.attempt) return state;
      return {
        step: 'failed',
        attempt: state.attempt,
        provider: state.provider,
        code: action.code,
        message: action.message,
      };
    case 'cloud-succeeded':
      return state.step === 'signing-in' && state.attempt === action.attempt ? closed : state;
  }
}

/** Whether the dialog is on screen. */
export function isAddAccountOpen(state: AddAccountState): boolean {
  return state.step !== 'closed';
}

/** The code and message of anything an API call rejected with (unknown errors count as permanent). */
export function describeError(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof SkyfoldError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'permanent', message: message || 'Something went wrong.' };
}

/** The dialog's heading for a failed sign-in. */
export function failureTitle(code: ErrorCode): string {
  switch (code) {
    case 'conflict':
      return 'This account is already in Skyfold';
    case 'transient':
      return 'The sign-in timed out';
    default:
      return 'Could not add the account';
  }
}
