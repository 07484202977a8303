import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteTally, writeBodyToFile } from './body-file';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skyfold-body-file-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

describe('writeBodyToFile', () => {
  it('writes at an offset, handing each chunk to the tally (size, head, hash)', async () => {
    const file = path.join(dir, 'a');
    await fs.writeFile(file, 'xxxxxxxx');
    const tally = new ByteTally(createHash('sha1'), 3);
    const written = await writeBodyToFile(file, 'r+', chunks('ab', 'cd'), 2, 10, tally.add);
    expect(written).toEqual({ size: 4, complete: true, tooLarge: false });
    expect(await fs.readFile(file, 'latin1')).toBe('xxabcdxx');
    expect([tally.size, tally.head.toString()]).toEqual([4, 'abc']);
    expect(tally.hash.digest('hex')).toBe(createHash('sha1').update('abcd').digest('hex'));
    const again = await new ByteTally(createHash('sha1'), 3).addFile(file);
    expect([again.size, again.head.toString()]).toEqual([8, 'xxa']);
  });

  it('stops writing past the limit but reads the body to its end; a broken body is not complete', async () => {
    const file = path.join(dir, 'b');
    const source = chunks('abc', 'def', 'g');
    expect(await writeBodyToFile(file, 'w', source, 0, 5)).toEqual({
      size: 3,
      complete: true,
      tooLarge: true,
    });
    expect(source.readableEnded).toBe(true);
    expect(await fs.readFile(file, 'latin1')).toBe('abc');
    const broken = Readable.from(
      (async function* () {
        yield Buffer.from('ab');
        throw new Error('reset');
      })(),
    );
    expect(await writeBodyToFile(file, 'w', broken, 0, 5)).toEqual({
      size: 2,
      complete: false,
      tooLarge: false,
    });
  });
});
