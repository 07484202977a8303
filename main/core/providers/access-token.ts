import type { SkyfoldError } from '../../../common/errors';
import type { AccessTokenSource } from './types';

/**
 * Runs `request` with an access token from `tokens`. Whatever it throws is mapped by `mapError`; when
 * that is `auth_expired` (the server refused the token), exactly that token is invalidated and the
 * request repeated once with a fresh one. A second refusal, or any other error, is thrown mapped.
 * Pacing is the caller's: run this inside the account's pacer, so `request` must be safe to repeat.
 */
export async function withAccessToken<T>(
  tokens: AccessTokenSource,
  mapError: (error: unknown) => SkyfoldError,
  request: (accessToken: string) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const token = await tokens.getAccessToken();
    try {
      return await request(token);
    } catch (error) {
      const mapped = mapError(error);
      if (mapped.code === 'auth_expired' && attempt === 0) {
        tokens.invalidate(token);
        continue;
      }
      throw mapped;
    }
  }
}
