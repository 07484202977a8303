/**
 * Calls that are not safe to repeat blindly (uploads, create, copy, move, delete): when one fails so
 * that the service may or may not have acted on it, the provider's api throws an `UnconfirmedError`
 * instead of letting the pacer repeat it, and `settle` checks whether the call took effect before
 * sending it again. Shared by the Dropbox and OneDrive providers.
 */
import { SkyfoldError } from '../../../common/errors';

/**
 * A non-idempotent call failed so that the service (`service`, as the message names it: "Dropbox
 * may have acted on it") may or may not have acted on it (code `transient`): the caller checks the
 * outcome before repeating it. `failure` is the mapped error.
 */
export class UnconfirmedError extends SkyfoldError {
  constructor(
    service: string,
    readonly failure: SkyfoldError,
  ) {
    super('transient', `${failure.message} (${service} may have acted on it)`, { cause: failure });
  }
}

/**
 * How many times `settle` sends a call whose outcome stays unknown. Each failed attempt was checked
 * first, so more attempts cost bytes sent again (at most one upload request's), never a duplicate;
 * six keeps a write alive through a bad patch of lost answers and 5xx (with four, a lost answer four
 * times in a row failed about one conformance run with faults in six).
 */
export const maxUnconfirmedAttempts = 6;

/**
 * Runs a call that is not safe to repeat blindly (`idempotent: false`). When its outcome is unknown
 * (UnconfirmedError), `check` looks whether it took effect: it returns the call's result when it
 * did, null when it did not; only then is the call sent again, at most `maxUnconfirmedAttempts`
 * times in all. Throws what the call or the check throws; the last UnconfirmedError (transient) when
 * every attempt stayed unconfirmed.
 */
export async function settle<T>(attempt: () => Promise<T>, check: () => Promise<T | null>): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof UnconfirmedError)) throw error;
      const done = await check();
      if (done !== null) return done;
      if (attempts >= maxUnconfirmedAttempts) throw error;
    }
  }
}
