/**
 * Tokens in one file in the data dir: `<dataDir>/credentials/tokens.json`, the file created with mode
 * 0600 inside a 0700 folder (on POSIX; Windows relies on the per-user profile ACL).
 *
 * Writes are atomic: the whole file is written to a temporary file in the same folder, fsync'd, renamed
 * over the old one, and the folder fsync'd - a crash leaves either the old or the new file, never a mix.
 * Calls on stores of the same path within this process are serialized (read-modify-write cannot lose an
 * update). Two processes writing at the same instant can still lose one update (no cross-process lock).
 *
 * A damaged file (not JSON, wrong shape, undecryptable) makes `get` throw a SkyfoldError (`permanent`)
 * naming the file; the next `set`/`delete` moves it aside (`tokens.json.damaged-<time>`) and starts a
 * fresh file, so reconnecting an account repairs the store without losing the evidence. A file written by
 * a newer Skyfold (higher `version`) is never overwritten.
 *
 * The bytes on disk go through a codec: plain JSON by default; Electron's safeStorage store plugs in
 * encryption (main/electron/token-store.ts).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { SkyfoldError } from '../../../common/errors';
import type { TokenStore } from './token-store';
import { type Tokens, tokensSchema } from './tokens';

/** Turns the file's JSON text into the bytes on disk and back. */
export interface TokenFileCodec {
  encode(text: string): Promise<Uint8Array>;
  /**
   * Throws a SkyfoldError when decoding is impossible for now (e.g. the keychain is unavailable): the
   * store passes it on and keeps the file. Any other error means the bytes are bad: the file counts as
   * damaged. `reencode: true` asks the store to rewrite the file with `encode` (e.g. a rotated key).
   */
  decode(bytes: Buffer): Promise<{ text: string; reencode?: boolean }>;
}

export const plainJsonCodec: TokenFileCodec = {
  async encode(text) {
    return Buffer.from(text, 'utf8');
  },
  async decode(bytes) {
    return { text: bytes.toString('utf8') };
  },
};

export interface FileTokenStoreOptions {
  filePath: string;
  codec?: TokenFileCodec;
  /** Shown in messages; defaults to `file <path>`. */
  description?: string;
  /** Injected for tests. */
  now?: () => number;
}

const fileVersion = 1;
const envelopeSchema = z.object({
  version: z.number().int(),
  accounts: z.record(z.string(), z.unknown()),
});
const currentEnvelopeSchema = z.object({
  version: z.literal(fileVersion),
  accounts: z.record(z.string(), tokensSchema),
});
type Envelope = z.infer<typeof currentEnvelopeSchema>;

/** `<dataDir>/credentials/<fileName>`: the folder that holds Skyfold's secrets (mode 0700). */
export function credentialsFilePath(dataDir: string, fileName = 'tokens.json'): string {
  return path.join(dataDir, 'credentials', fileName);
}

const isPosix = process.platform !== 'win32';

/** Per-path queues: every operation on one file runs after the previous one settled. */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settledRun = run.catch(() => undefined);
  queues.set(key, settledRun);
  void settledRun.then(() => {
    if (queues.get(key) === settledRun) queues.delete(key);
  });
  return run;
}

type ReadResult =
  | { kind: 'ok'; envelope: Envelope; reencode: boolean }
  | { kind: 'absent' }
  | { kind: 'damaged'; reason: string }
  | { kind: 'newer'; version: number };

export class FileTokenStore implements TokenStore {
  readonly filePath: string;
  readonly description: string;
  private readonly codec: TokenFileCodec;
  private readonly now: () => number;

  constructor(options: FileTokenStoreOptions) {
    this.filePath = path.resolve(options.filePath);
    this.codec = options.codec ?? plainJsonCodec;
    this.description = options.description ?? `file ${this.filePath}`;
    this.now = options.now ?? Date.now;
  }

  /** The default plain store of a data dir: `<dataDir>/credentials/tokens.json`. */
  static inDataDir(dataDir: string): FileTokenStore {
    return new FileTokenStore({ filePath: credentialsFilePath(dataDir) });
  }

  /** See TokenStore.get. Throws `permanent` for a damaged file or one from a newer Skyfold. */
  get(accountId: string): Promise<Tokens | null> {
    return serialized(this.filePath, async () => {
      const read = await this.read();
      if (read.kind === 'absent') return null;
      if (read.kind === 'damaged') throw this.damagedError(read.reason);
      if (read.kind === 'newer') throw this.newerError(read.version);
      // Best effort: the tokens were read fine; a failed rewrite is retried on the next read.
      if (read.reencode) await this.write(read.envelope).catch(() => undefined);
      return read.envelope.accounts[accountId] ?? null;
    });
  }

  /** See TokenStore.set. Durable when it resolves. Rejects `invalid_argument` for malformed tokens. */
  set(accountId: string, tokens: Tokens): Promise<void> {
    const parsed = tokensSchema.safeParse(tokens);
    if (!parsed.success) {
      return Promise.reject(new SkyfoldError('invalid_argument', 'refusing to store malformed tokens'));
    }
    const valid = parsed.data;
    return serialized(this.filePath, async () => {
      const envelope = await this.readForUpdate();
      envelope.accounts[accountId] = valid;
      await this.write(envelope);
    });
  }

  /** See TokenStore.delete. Idempotent; does not create a file when none exists. */
  delete(accountId: string): Promise<void> {
    return serialized(this.filePath, async () => {
      const read = await this.read();
      if (read.kind === 'absent') return;
      if (read.kind === 'ok' && !(accountId in read.envelope.accounts)) return;
      const envelope = await this.readForUpdate(read);
      delete envelope.accounts[accountId];
      await this.write(envelope);
    });
  }

  private async read(): Promise<ReadResult> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.filePath);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return { kind: 'absent' };
      throw this.ioError('read', error);
    }
    await this.tightenPermissions();
    let decoded: { text: string; reencode?: boolean };
    try {
      decoded = await this.codec.decode(bytes);
    } catch (error) {
      // The codec says "cannot decode right now" (e.g. the OS keychain is locked): not damage.
      if (error instanceof SkyfoldError) throw error;
      return { kind: 'damaged', reason: `it could not be decoded (${messageOf(error)})` };
    }
    let json: unknown;
    try {
      json = JSON.parse(decoded.text);
    } catch {
      return { kind: 'damaged', reason: 'it is not valid JSON' };
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return { kind: 'damaged', reason: 'it does not have the expected shape' };
    if (envelope.data.version > fileVersion) return { kind: 'newer', version: envelope.data.version };
    const current = currentEnvelopeSchema.safeParse(json);
    if (!current.success) return { kind: 'damaged', reason: 'an entry does not have the expected shape' };
    return { kind: 'ok', envelope: current.data, reencode: decoded.reencode === true };
  }

  /** The envelope to modify: the current one, or a fresh one after setting a damaged file aside. */
  private async readForUpdate(already?: ReadResult): Promise<Envelope> {
    const read = already ?? (await this.read());
    if (read.kind === 'ok') return read.envelope;
    if (read.kind === 'newer') throw this.newerError(read.version);
    if (read.kind === 'damaged') {
      const aside = `${this.filePath}.damaged-${this.now()}`;
      try {
        await rename(this.filePath, aside);
      } catch (error) {
        throw this.ioError('set aside the damaged', error);
      }
    }
    return { version: fileVersion, accounts: {} };
  }

  private async write(envelope: Envelope): Promise<void> {
    const directory = path.dirname(this.filePath);
    const temporary = path.join(
      directory,
      `.${path.basename(this.filePath)}.${randomBytes(6).toString('hex')}.tmp`,
    );
    try {
      await ensurePrivateDirectory(directory);
      const bytes = await this.codec.encode(`${JSON.stringify(envelope, null, 2)}\n`);
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.filePath);
      await syncDirectory(directory);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      if (error instanceof SkyfoldError) throw error;
      throw this.ioError('write', error);
    }
  }

  /** A token file someone made readable by others is made private again. */
  private async tightenPermissions(): Promise<void> {
    if (!isPosix) return;
    try {
      const info = await stat(this.filePath);
      if ((info.mode & 0o077) !== 0) await chmod(this.filePath, 0o600);
    } catch {
      // Best effort: reading worked, and the next write creates the file with 0600 anyway.
    }
  }

  private damagedError(reason: string): SkyfoldError {
    return new SkyfoldError(
      'permanent',
      `The token file ${this.filePath} is damaged: ${reason}. Reconnect the account to start a fresh file (the damaged one is kept beside it).`,
    );
  }

  private newerError(version: number): SkyfoldError {
    return new SkyfoldError(
      'permanent',
      `The token file ${this.filePath} was written by a newer Skyfold (format ${version}); update Skyfold.`,
    );
  }

  private ioError(action: string, error: unknown): SkyfoldError {
    return new SkyfoldError(
      'permanent',
      `Could not ${action} token file ${this.filePath}: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Creates the folder (and parents) and makes the folder itself 0700 on POSIX. */
export async function ensurePrivateDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  if (isPosix) {
    const info = await stat(directory);
    if ((info.mode & 0o777) !== 0o700) await chmod(directory, 0o700);
  }
}

/** fsyncs a directory so a rename in it is durable. Not possible on Windows (ignored there). */
async function syncDirectory(directory: string): Promise<void> {
  if (!isPosix) return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
