import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { retryDelay, shouldRetry } from './query-client';

describe('shouldRetry', () => {
  it('retries passing faults a few times', () => {
    const transient = new SkyfoldError('transient', 'socket closed');
    expect(shouldRetry(0, transient)).toBe(true);
    expect(shouldRetry(2, transient)).toBe(true);
    expect(shouldRetry(3, transient)).toBe(false);
    expect(shouldRetry(0, new SkyfoldError('rate_limited', 'slow down'))).toBe(true);
  });
  it('never retries what repeating cannot fix', () => {
    expect(shouldRetry(0, new SkyfoldError('not_found', 'gone'))).toBe(false);
    expect(shouldRetry(0, new SkyfoldError('invalid_argument', 'bad'))).toBe(false);
    expect(shouldRetry(0, new SkyfoldError('permanent', 'broken'))).toBe(false);
  });
  it('retries an unknown error once', () => {
    expect(shouldRetry(0, new Error('?'))).toBe(true);
    expect(shouldRetry(1, new Error('?'))).toBe(false);
  });
});

describe('retryDelay', () => {
  it('honours retry-after, capped', () => {
    expect(retryDelay(0, new SkyfoldError('rate_limited', 'x', { retryAfterMs: 1234 }))).toBe(1234);
    expect(retryDelay(0, new SkyfoldError('rate_limited', 'x', { retryAfterMs: 600_000 }))).toBe(30_000);
  });
  it('backs off exponentially otherwise', () => {
    expect(retryDelay(0, new Error())).toBe(500);
    expect(retryDelay(1, new Error())).toBe(1000);
    expect(retryDelay(10, new Error())).toBe(8000);
  });
});
