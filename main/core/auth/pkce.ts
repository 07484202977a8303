/**
 * PKCE (RFC 7636, method S256) and the `state` parameter of the authorization request.
 *
 * All values are base64url without padding, made from `crypto.randomBytes` (a CSPRNG). None of these
 * functions throw for valid input; `codeChallengeS256` throws a RangeError for a verifier that RFC 7636
 * forbids, so a bug cannot silently send a weak verifier.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: 43..128 characters of [A-Z a-z 0-9 - . _ ~]. */
const verifierPattern = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A fresh code verifier: 32 random bytes -> 43 base64url characters (the RFC's recommendation). */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** `BASE64URL(SHA256(ASCII(verifier)))`. Throws RangeError when the verifier breaks RFC 7636 §4.1. */
export function codeChallengeS256(verifier: string): string {
  if (!verifierPattern.test(verifier)) {
    throw new RangeError('a PKCE code verifier must be 43-128 characters of [A-Za-z0-9-._~]');
  }
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/** A fresh verifier with its S256 challenge. */
export function createPkcePair(): PkcePair {
  const codeVerifier = createCodeVerifier();
  return { codeVerifier, codeChallenge: codeChallengeS256(codeVerifier), codeChallengeMethod: 'S256' };
}

/** A fresh, unguessable `state` value (32 random bytes, base64url). */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a received `state` with the expected one in constant time (no early exit on the first
 * differing character, and no length leak: both sides are hashed to 32 bytes first). `received` may be
 * null/undefined (absent parameter): that is simply not equal. Never throws.
 */
export function statesEqual(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(received, 'utf8').digest();
  // The hashes are equal only when the strings are (SHA-256 collision resistance); the extra length
  // check costs nothing and keeps an empty expected state from ever matching by accident.
  return timingSafeEqual(a, b) && expected.length > 0 && expected.length === received.length;
}
