import { describe, expect, it } from 'vitest';
import { SkyfoldError } from '../../../common/errors';
import { createAtFreeName, numberedName } from './free-names';

describe('numberedName', () => {
  it('numbers before the last extension of files, at the end of folders and extension-less names', () => {
    expect(numberedName('a.txt', 2, false)).toBe('a (2).txt');
    expect(numberedName('archive.tar.gz', 3, false)).toBe('archive.tar (3).gz');
    expect(numberedName('README', 2, false)).toBe('README (2)');
    expect(numberedName('.bashrc', 2, false)).toBe('.bashrc (2)');
    expect(numberedName('Photos.2024', 2, true)).toBe('Photos.2024 (2)');
  });
});

describe('createAtFreeName', () => {
  /** A folder holding `taken`, where `racers` names get taken between the lookup and the create. */
  function folder(taken: string[], racers: string[] = []) {
    const names = new Set(taken);
    const events: string[] = [];
    const place = {
      isFree: async (name: string) => {
        events.push(`look ${name}`);
        return !names.has(name);
      },
      create: async (name: string) => {
        events.push(`create ${name}`);
        if (racers.includes(name) || names.has(name)) {
          names.add(name);
          throw new SkyfoldError('conflict', `"${name}" was taken`);
        }
        names.add(name);
        return name;
      },
      shown: '/docs/a.txt',
    };
    return { place, events };
  }

  it('creates at a free name after looking, and refuses a taken one without rename', async () => {
    const free = folder([]);
    expect(await createAtFreeName('a.txt', { rename: false, isFolder: false }, free.place)).toBe('a.txt');
    expect(free.events).toEqual(['look a.txt', 'create a.txt']);

    const taken = folder(['a.txt']);
    await expect(
      createAtFreeName('a.txt', { rename: false, isFolder: false }, taken.place),
    ).rejects.toMatchObject({ code: 'conflict', message: '"/docs/a.txt" already exists' });
    expect(taken.events).toEqual(['look a.txt']);
  });

  it('with rename, creates at the first free numbered name, and after a race at the next one', async () => {
    const taken = folder(['a.txt', 'a (2).txt']);
    expect(await createAtFreeName('a.txt', { rename: true, isFolder: false }, taken.place)).toBe('a (3).txt');

    const raced = folder(['a.txt'], ['a (2).txt']);
    expect(await createAtFreeName('a.txt', { rename: true, isFolder: false }, raced.place)).toBe('a (3).txt');
    expect(raced.events).toEqual([
      'look a.txt',
      'look a (2).txt',
      'create a (2).txt',
      'look a (3).txt',
      'create a (3).txt',
    ]);
  });

  it('gives up after a few races, and does not retry a race without rename', async () => {
    const racers = Array.from({ length: 20 }, (_, i) => (i === 0 ? 'd' : `d (${i + 1})`));
    const raced = folder([], racers);
    await expect(createAtFreeName('d', { rename: true, isFolder: true }, raced.place)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(raced.events.filter((event) => event.startsWith('create'))).toHaveLength(6);

    const once = folder([], ['d']);
    await expect(createAtFreeName('d', { rename: false, isFolder: true }, once.place)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(once.events).toEqual(['look d', 'create d']);
  });

  it('throws other failures of the create at once', async () => {
    const { place, events } = folder([]);
    place.create = async () => {
      events.push('create');
      throw new SkyfoldError('permanent', 'refused');
    };
    await expect(createAtFreeName('a', { rename: true, isFolder: false }, place)).rejects.toMatchObject({
      code: 'permanent',
    });
    expect(events).toEqual(['look a', 'create']);
  });
});
