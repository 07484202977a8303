import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeChallengeS256, createCodeVerifier, createPkcePair, createState, statesEqual } from './pkce';

describe('PKCE', () => {
  it('matches the RFC 7636 appendix B test vector', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes 43-character base64url verifiers whose challenge is their SHA-256', () => {
    const pair = createPkcePair();
    expect(pair.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.codeChallengeMethod).toBe('S256');
    expect(pair.codeChallenge).toBe(createHash('sha256').update(pair.codeVerifier).digest('base64url'));
    expect(createCodeVerifier()).not.toBe(createCodeVerifier());
  });

  it('refuses verifiers RFC 7636 forbids', () => {
    expect(() => codeChallengeS256('short')).toThrow(RangeError);
    expect(() => codeChallengeS256('a'.repeat(129))).toThrow(RangeError);
    expect(() => codeChallengeS256(`${'a'.repeat(42)}!`)).toThrow(RangeError);
  });
});

describe('state', () => {
  it('is random and url-safe', () => {
    const a = createState();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createState()).not.toBe(a);
  });

  it('compares exactly, whatever the lengths, and never matches an absent value', () => {
    const state = createState();
    expect(statesEqual(state, state)).toBe(true);
    expect(statesEqual(state, `${state}x`)).toBe(false);
    expect(statesEqual(state, state.slice(0, -1))).toBe(false);
    expect(statesEqual(state, state.toUpperCase())).toBe(state === state.toUpperCase());
    expect(statesEqual(state, '')).toBe(false);
    expect(statesEqual(state, null)).toBe(false);
    expect(statesEqual(state, undefined)).toBe(false);
    expect(statesEqual('', '')).toBe(false);
  });
});
