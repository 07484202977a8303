/**
 * Files dropped from the desktop into the web host (common/uploads.ts): collect them (folders walked,
 * each file with its place in the drop), announce them with beginUpload, send each one's bytes with
 * `PUT uploadUrl(id, index)` a few at a time, then finishUpload starts the transfer.
 */
import type { SkyfoldApi } from '../../../common/contract';
import type { TransferPlanDto } from '../../../common/transfers';
import { uploadUrl } from '../../../common/uploads';
import type { FolderTarget } from './drag-drop';

export interface DroppedFile {
  /** Its place in the drop: `a.txt`, `Photos/b.jpg`. */
  path: string;
  file: File;
}

/** The parts of the browser's FileSystemEntry API the walk uses (so tests can stand in for it). */
export interface EntryLike {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  file?: (success: (file: File) => void, failure?: (error: unknown) => void) => void;
  createReader?: () => {
    readEntries: (success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void) => void;
  };
}

/** One item of a drop: its entry (folders need it) or just its File. */
export interface DropItemLike {
  kind: string;
  webkitGetAsEntry?: () => EntryLike | null;
  getAsFile: () => File | null;
}

/**
 * Takes what must be taken while the drop event runs (entries and files vanish after it): one root
 * per dropped thing. Pass the result to `collectDroppedFiles`.
 */
export function dropRoots(
  items: ArrayLike<DropItemLike> | null | undefined,
  files: ArrayLike<File> | null | undefined,
): Array<EntryLike | File> {
  const roots: Array<EntryLike | File> = [];
  if (items && items.length > 0) {
    for (let index = 0; index < items.length; index++) {
      const item = items[index]!;
      if (item.kind !== 'file') continue;
      const entry = item.webkitGetAsEntry?.() ?? null;
      const file = entry ? null : item.getAsFile();
      if (entry) roots.push(entry);
      else if (file) roots.push(file);
    }
    if (roots.length > 0) return roots;
  }
  if (files) for (let index = 0; index < files.length; index++) roots.push(files[index]!);
  return roots;
}

function isFileObject(value: EntryLike | File): value is File {
  return !('isFile' in value);
}

function entryFile(entry: EntryLike): Promise<File> {
  return new Promise((resolve, reject) => {
    if (!entry.file) reject(new Error(`${entry.name} cannot be read`));
    else entry.file(resolve, reject);
  });
}

async function entryChildren(entry: EntryLike): Promise<EntryLike[]> {
  const reader = entry.createReader?.();
  if (!reader) return [];
  const children: EntryLike[] = [];
  // readEntries answers in chunks (100 in Chrome) until an empty one.
  for (;;) {
    const chunk = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) return children;
    children.push(...chunk);
  }
}

/**
 * Every file of a drop with its relative path, folders walked depth first. Empty folders carry no
 * file and are left out (an upload announces files only).
 */
export async function collectDroppedFiles(roots: ReadonlyArray<EntryLike | File>): Promise<DroppedFile[]> {
  const found: DroppedFile[] = [];
  const walk = async (entry: EntryLike, prefix: string): Promise<void> => {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isFile) {
      found.push({ path, file: await entryFile(entry) });
    } else if (entry.isDirectory) {
      for (const child of await entryChildren(entry)) await walk(child, path);
    }
  };
  for (const root of roots) {
    if (isFileObject(root)) found.push({ path: root.name, file: root });
    else await walk(root, '');
  }
  return found;
}

export interface UploadProgress {
  files: number;
  filesSent: number;
  bytes: number;
  bytesSent: number;
}

export type FetchLike = (
  url: string,
  init: { method: string; body: Blob },
) => Promise<{
  ok: boolean;
  status: number;
  text: () => Promise<string>;
}>;

export interface UploadOptions {
  api: Pick<SkyfoldApi, 'beginUpload' | 'finishUpload'>;
  fetch: FetchLike;
  destination: FolderTarget;
  files: readonly DroppedFile[];
  /** How many files are sent at once. */
  concurrency?: number;
  onProgress?: (progress: UploadProgress) => void;
}

/** Why sending one file failed, with the server's words when it said any. */
async function putFailure(path: string, response: Awaited<ReturnType<FetchLike>>): Promise<Error> {
  let detail = '';
  try {
    detail = (await response.text()).trim().slice(0, 300);
  } catch {
    // no body
  }
  return new Error(
    `Could not upload ${path}: the server answered ${response.status}${detail ? ` (${detail})` : ''}`,
  );
}

/**
 * Sends a drop and starts its transfer; resolves with the plan. Progress counts whole files (a file's
 * bytes count once it arrived). The first failure stops sending more and rejects once the files in
 * flight settled.
 */
export async function uploadDroppedFiles({
  api,
  fetch,
  destination,
  files,
  concurrency = 3,
  onProgress,
}: UploadOptions): Promise<TransferPlanDto> {
  const bytes = files.reduce((sum, entry) => sum + entry.file.size, 0);
  const progress: UploadProgress = { files: files.length, filesSent: 0, bytes, bytesSent: 0 };
  onProgress?.({ ...progress });
  const { uploadId } = await api.beginUpload({
    destination: { accountId: destination.accountId, folderId: destination.folderId },
    files: files.map((entry) => ({ path: entry.path, size: entry.file.size })),
  });

  let next = 0;
  let failure: Error | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < files.length) {
      const index = next++;
      const entry = files[index]!;
      try {
        const response = await fetch(uploadUrl(uploadId, index), { method: 'PUT', body: entry.file });
        if (!response.ok) throw await putFailure(entry.path, response);
      } catch (error) {
        failure ??=
          error instanceof Error && error.message.startsWith('Could not upload')
            ? error
            : new Error(
                `Could not upload ${entry.path}: ${error instanceof Error ? error.message : String(error)}`,
              );
        return;
      }
      progress.filesSent++;
      progress.bytesSent += entry.file.size;
      onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  if (failure) throw failure;
  return api.finishUpload({ uploadId });
}
