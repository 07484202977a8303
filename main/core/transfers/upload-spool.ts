/**
 * Files dropped into the web host wait here until every byte arrived (common/uploads.ts): one
 * folder per upload under the data directory, `manifest.json` (what was announced) and `files/`
 * (the dropped tree), each file written to a part file, fsynced, then renamed into place. The
 * transfer then reads `files/` like any folder on this computer, and the folder is removed when
 * its batch ends (or, left by a crash, by `sweep`).
 *
 * Contract: paths are relative, `/`-separated, and never escape `files/` (no `..`, no empty or
 * refused segments); a file is received once; a body that is not exactly the announced size is
 * refused and nothing of it is kept.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SkyfoldError } from '../../../common/errors';
import { localNameProblem } from '../providers/local/names';

export interface AnnouncedFile {
  path: string;
  size: number;
}

export interface UploadManifest<Destination> {
  files: AnnouncedFile[];
  destination: Destination;
  createdAt: number;
}

const idPattern = /^[0-9a-f]{32}$/;

export class UploadSpool<Destination> {
  constructor(private readonly dir: string) {}

  /**
   * Records an announced upload and returns its id. Throws invalid_argument for a path that is
   * absolute, escapes the drop, has a name this computer refuses, or is given twice (or is both a
   * file and a folder).
   */
  async begin(files: readonly AnnouncedFile[], destination: Destination): Promise<string> {
    const seen = new Set<string>();
    const folders = new Set<string>();
    for (const file of files) {
      const segments = checkedSegments(file.path);
      const key = segments.join('/');
      for (let n = 1; n < segments.length; n++) folders.add(segments.slice(0, n).join('/'));
      if (seen.has(key)) throw new SkyfoldError('invalid_argument', `"${file.path}" is dropped twice`);
      seen.add(key);
    }
    const clash = [...seen].find((key) => folders.has(key));
    if (clash !== undefined)
      throw new SkyfoldError('invalid_argument', `"${clash}" is dropped as a file and as a folder`);
    const id = randomBytes(16).toString('hex');
    await fs.mkdir(path.join(this.dir, id, 'files'), { recursive: true });
    await fs.mkdir(path.join(this.dir, id, 'parts'));
    const manifest: UploadManifest<Destination> = { files: [...files], destination, createdAt: Date.now() };
    await writeDurably(path.join(this.dir, id, 'manifest.json'), JSON.stringify(manifest));
    return id;
  }

  /**
   * Stores file `index` of upload `id` from `body` (`length` bytes, as its Content-Length said).
   * Throws not_found (unknown upload or index), conflict (received already, or arriving now),
   * invalid_argument (another size than announced, or a body that ended early or ran long).
   */
  async receive(id: string, index: number, body: Readable, length: number): Promise<void> {
    const manifest = await this.manifest(id);
    const file = manifest.files[index];
    if (!Number.isSafeInteger(index) || file === undefined)
      throw new SkyfoldError('not_found', `upload ${id} has no file ${index}`);
    if (length !== file.size)
      throw new SkyfoldError('invalid_argument', `"${file.path}" is ${file.size} bytes, not ${length}`);
    const target = path.join(this.dir, id, 'files', ...checkedSegments(file.path));
    if (await exists(target)) throw new SkyfoldError('conflict', `"${file.path}" was received already`);
    const part = path.join(this.dir, id, 'parts', String(index));
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > file.size)
          callback(new SkyfoldError('invalid_argument', `"${file.path}" is longer than ${file.size} bytes`));
        else callback(null, chunk);
      },
    });
    let output;
    try {
      output = createWriteStream(part, { flags: 'wx' });
      await new Promise<void>((resolve, reject) =>
        output!.once('open', () => resolve()).once('error', reject),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new SkyfoldError('conflict', `"${file.path}" is being received already`);
      throw error;
    }
    try {
      await pipeline(body, counter, output);
      if (received !== file.size)
        throw new SkyfoldError(
          'invalid_argument',
          `"${file.path}" ended after ${received} of ${file.size} bytes`,
        );
      const handle = await fs.open(part, 'r');
      await handle.sync().finally(() => handle.close());
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(part, target);
    } catch (error) {
      await fs.rm(part, { force: true });
      throw error;
    }
  }

  /**
   * Checks that every announced file arrived and returns where the dropped tree is, its top-level
   * names (what the transfer takes), and the destination announced. Throws not_found (unknown
   * upload), invalid_argument (files missing: it names them).
   */
  async finish(id: string): Promise<{ root: string; topNames: string[]; destination: Destination }> {
    const manifest = await this.manifest(id);
    const root = path.join(this.dir, id, 'files');
    const missing: string[] = [];
    for (const file of manifest.files) {
      if (!(await exists(path.join(root, ...checkedSegments(file.path))))) missing.push(file.path);
    }
    if (missing.length > 0) {
      const named = missing.slice(0, 5).map((name) => `"${name}"`);
      throw new SkyfoldError(
        'invalid_argument',
        `${missing.length} file(s) did not arrive: ${named.join(', ')}${missing.length > 5 ? ', ...' : ''}`,
      );
    }
    const topNames = [...new Set(manifest.files.map((file) => checkedSegments(file.path)[0]!))];
    return { root, topNames, destination: manifest.destination };
  }

  /** Removes an upload's folder. Idempotent. */
  async remove(id: string): Promise<void> {
    if (idPattern.test(id)) await fs.rm(path.join(this.dir, id), { recursive: true, force: true });
  }

  /** The folder an upload's files are in (whether or not it exists). */
  rootOf(id: string): string {
    return path.join(this.dir, id, 'files');
  }

  /** Removes the uploads `keep` does not claim that are older than `maxAgeMs` (left by a crash or a closed tab). */
  async sweep(keep: (id: string) => boolean, maxAgeMs: number): Promise<void> {
    const entries = await fs.readdir(this.dir).catch(() => [] as string[]);
    for (const id of entries) {
      if (!idPattern.test(id) || keep(id)) continue;
      const stat = await fs.stat(path.join(this.dir, id)).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > maxAgeMs) await this.remove(id);
    }
  }

  private async manifest(id: string): Promise<UploadManifest<Destination>> {
    if (!idPattern.test(id)) throw new SkyfoldError('not_found', `no upload ${JSON.stringify(id)}`);
    try {
      return JSON.parse(
        await fs.readFile(path.join(this.dir, id, 'manifest.json'), 'utf8'),
      ) as UploadManifest<Destination>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new SkyfoldError('not_found', `no upload ${id}`);
      throw error;
    }
  }
}

/** A dropped path's segments; throws invalid_argument for anything that could leave the drop's folder. */
function checkedSegments(dropped: string): string[] {
  const segments = dropped.split('/');
  for (const segment of segments) {
    const problem = localNameProblem(segment);
    if (problem !== null)
      throw new SkyfoldError('invalid_argument', `"${dropped}" cannot be received: ${problem}`);
  }
  return segments;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
