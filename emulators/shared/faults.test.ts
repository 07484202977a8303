import { describe, expect, it } from 'vitest';
import { FaultEngine, FaultSpecError, flipPositions, parseFaultSpec, toFaultRules } from './faults';

const api = (path: string) => path.startsWith('/api/');

describe('fault spec', () => {
  it('parses kinds, shorthand values, methods, paths and options', () => {
    expect(
      parseFaultSpec(
        'rate-limit /api/files* p=0.25 retryAfter=3; error=502 PUT /upload/* seq=x.x\nslow=200 times=2',
      ),
    ).toEqual([
      { kind: 'rate-limit', path: '/api/files*', p: 0.25, retryAfter: 3 },
      { kind: 'error', status: 502, method: 'PUT', path: '/upload/*', seq: 'x.x' },
      { kind: 'slow', ms: 200, times: 2 },
    ]);
    expect(parseFaultSpec('  ;  ')).toEqual([]);
  });

  it('rejects unknown kinds, options and bad values with a message naming them', () => {
    expect(() => parseFaultSpec('boom')).toThrow(/unknown fault kind "boom"/);
    expect(() => parseFaultSpec('reset colour=red')).toThrow(/unknown option "colour"/);
    expect(() => parseFaultSpec('rate-limit p=2')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('error=200')).toThrow(/status/);
    expect(() => parseFaultSpec('slow seq=xyz')).toThrow(/seq/);
    expect(() => parseFaultSpec('rate-limit=3')).toThrow(/takes no value/);
    expect(() => toFaultRules([{ kind: 'reset', path: 'nope' }])).toThrow(/path/);
  });
});

describe('fault engine', () => {
  it('scopes path-less rules to API paths and matches globs and methods', () => {
    const engine = new FaultEngine(api);
    engine.set(parseFaultSpec('reset; error GET /token'));
    expect(engine.evaluate('GET', '/api/x').map((r) => r.kind)).toEqual(['reset']);
    expect(engine.evaluate('GET', '/other')).toEqual([]);
    expect(engine.evaluate('GET', '/token').map((r) => r.kind)).toEqual(['error']);
    expect(engine.evaluate('POST', '/token')).toEqual([]);
  });

  it('applies after, times and seq deterministically', () => {
    const engine = new FaultEngine(api);
    engine.set(parseFaultSpec('reset after=1 times=2'));
    expect([1, 2, 3, 4].map(() => engine.evaluate('GET', '/api/a').length)).toEqual([0, 1, 1, 0]);
    engine.set(parseFaultSpec('reset seq=.xx.'));
    expect([1, 2, 3, 4, 5].map(() => engine.evaluate('GET', '/api/a').length)).toEqual([0, 1, 1, 0, 0]);
    expect(engine.list()[0]).toMatchObject({ matched: 5, fired: 2 });
  });

  it('draws probabilities from a seeded generator: the same rules give the same faults', () => {
    const run = () => {
      const engine = new FaultEngine(api);
      engine.set(parseFaultSpec('rate-limit p=0.3 seed=42'));
      return Array.from({ length: 200 }, () => engine.evaluate('GET', '/api/a').length).join('');
    };
    const first = run();
    expect(run()).toBe(first);
    const fired = [...first].filter((c) => c === '1').length;
    expect(fired).toBeGreaterThan(30);
    expect(fired).toBeLessThan(90);
  });
});

describe('flip', () => {
  it('parses a position shorthand, count and in=request, and refuses them elsewhere', () => {
    expect(parseFaultSpec('flip=1000 GET /files/* count=3; flip in=request PUT /upload/* seed=4')).toEqual([
      { kind: 'flip', bytes: 1000, method: 'GET', path: '/files/*', count: 3 },
      { kind: 'flip', in: 'request', method: 'PUT', path: '/upload/*', seed: 4 },
    ]);
    expect(() => parseFaultSpec('flip count=0')).toThrow(/count/);
    expect(() => parseFaultSpec('flip count=1.5')).toThrow(/count/);
    expect(() => parseFaultSpec('flip=2.5')).toThrow(/position/);
    expect(() => parseFaultSpec('flip in=body')).toThrow(/in is/);
    expect(() => parseFaultSpec('truncate count=2')).toThrow(/flip only/);
    expect(() => parseFaultSpec('error in=request')).toThrow(/flip only/);
  });

  it('flips count bytes from a given position', () => {
    expect(flipPositions({ kind: 'flip', bytes: 7, count: 3 }, 100)).toEqual([7, 8, 9]);
    expect(flipPositions({ kind: 'flip', bytes: 7 }, undefined)).toEqual([7]);
  });

  it('draws distinct positions inside the body from the seeded generator, the same for the same rules', () => {
    const draw = () => {
      const engine = new FaultEngine(api);
      engine.set(parseFaultSpec('flip count=5 seed=3'));
      return [1, 2].map(() => flipPositions(engine.evaluate('GET', '/api/a')[0]!, 40));
    };
    const [first, second] = draw();
    expect(draw()).toEqual([first, second]);
    expect(first).not.toEqual(second);
    for (const positions of [first!, second!]) {
      expect(positions).toHaveLength(5);
      expect(new Set(positions).size).toBe(5);
      for (const position of positions) expect(position).toBeGreaterThanOrEqual(0);
      for (const position of positions) expect(position).toBeLessThan(40);
    }
    // More flips than bytes: every byte once.
    expect(flipPositions({ kind: 'flip', count: 9, draws: Array(9).fill(0.5) }, 4)).toEqual([0, 1, 2, 3]);
  });
});
