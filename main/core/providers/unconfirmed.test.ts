/**
 * UnconfirmedError and `settle`, shared by the Dropbox and OneDrive providers: a call whose outcome
 * is unknown is checked before it is repeated, a bounded number of times.
 */
import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { maxUnconfirmedAttempts, settle, UnconfirmedError } from './unconfirmed';

const unconfirmed = () => new UnconfirmedError('Dropbox', new SkyfoldError('transient', 'connection reset'));

describe('UnconfirmedError', () => {
  it('is transient, keeps the mapped failure, and names the service that may have acted', () => {
    const failure = new SkyfoldError('transient', 'OneDrive, creating "a": socket hang up');
    const error = new UnconfirmedError('OneDrive', failure);
    expect(error).toBeInstanceOf(SkyfoldError);
    expect(error).toMatchObject({ code: 'transient', failure, cause: failure });
    expect(error.message).toBe('OneDrive, creating "a": socket hang up (OneDrive may have acted on it)');
  });
});

describe('settle', () => {
  it('checks after a lost answer and returns what the check found, without repeating the call', async () => {
    let attempts = 0;
    const result = await settle(
      async () => {
        attempts++;
        throw unconfirmed();
      },
      async () => 'found',
    );
    expect(result).toBe('found');
    expect(attempts).toBe(1);
  });

  it('repeats the call only when the check finds nothing, a bounded number of times', async () => {
    const events: string[] = [];
    let attempts = 0;
    const result = await settle(
      async () => {
        events.push('call');
        if (++attempts < 3) throw unconfirmed();
        return 'done';
      },
      async () => {
        events.push('check');
        return null;
      },
    );
    expect(result).toBe('done');
    expect(events).toEqual(['call', 'check', 'call', 'check', 'call']);

    let calls = 0;
    let checks = 0;
    const last = unconfirmed();
    const error = await settle(
      async () => {
        calls++;
        throw calls === maxUnconfirmedAttempts ? last : unconfirmed();
      },
      async () => {
        checks++;
        return null;
      },
    ).catch((caught: unknown) => caught);
    expect(error).toBe(last);
    expect(calls).toBe(maxUnconfirmedAttempts);
    expect(checks).toBe(maxUnconfirmedAttempts);
  });

  it('sends a call up to six times while its outcome stays unknown', () => {
    expect(maxUnconfirmedAttempts).toBe(6);
  });

  it('throws other errors at once, unchecked, and what the check throws', async () => {
    let checks = 0;
    await expect(
      settle(
        async () => {
          throw new SkyfoldError('conflict', 'taken');
        },
        async () => {
          checks++;
          return null;
        },
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(checks).toBe(0);

    let attempts = 0;
    await expect(
      settle(
        async () => {
          attempts++;
          throw unconfirmed();
        },
        async () => {
          throw new SkyfoldError('auth_expired', 'signed out');
        },
      ),
    ).rejects.toMatchObject({ code: 'auth_expired' });
    expect(attempts).toBe(1);
  });
});
