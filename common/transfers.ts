/**
 * Transfers as they cross the contract (docs/design/transfers.md §5): plain JSON, never an upload
 * checkpoint (it is a credential).
 */
import type { ErrorDto } from './errors';

export const transferOps = ['copy', 'move'] as const;
export type TransferOpDto = (typeof transferOps)[number];
export const conflictChoices = ['rename', 'replace', 'skip'] as const;
export type ConflictChoiceDto = (typeof conflictChoices)[number];
export const transferActions = ['pause', 'resume', 'cancel', 'retry'] as const;
export type TransferActionDto = (typeof transferActions)[number];

/** Transfers running at once over all accounts: the default, and the range a setting may take. */
export const defaultTransferConcurrency = 6;
export const maxTransferConcurrency = 16;

export interface TransferSettingsDto {
  /** Bytes per second over all transfers; null = unlimited. */
  bandwidthLimit: number | null;
  /**
   * Transfers running at once over all accounts (1..maxTransferConcurrency; each account's pacer may
   * allow fewer on it). `defaultTransferConcurrency` until set.
   */
  concurrency: number;
  /** The conflict choice remembered from a decision (used when a transfer names none); null = ask. */
  conflictDefault: ConflictChoiceDto | null;
}

/** What planning decided, before anything moved. */
export interface TransferPlanDto {
  batchId: string;
  files: number;
  folders: number;
  bytes: number;
  /** Names the destination refuses or has taken, and what they became. */
  renamed: Array<{ from: string; to: string; reason: string }>;
  /** Items left out: too big, path too long, a name that cannot be made acceptable. */
  refused: Array<{ name: string; reason: string }>;
  /** Items left out by the `skip` policy. */
  skipped: Array<{ name: string; reason: string }>;
  /** Names taken at the destination while no policy was given: the batch waits for a decision. */
  conflicts: string[];
}

export type TransferBatchStateDto = 'planning' | 'needs-decision' | 'ready' | 'finished' | 'cancelled';

export interface TransferBatchDto {
  id: string;
  op: TransferOpDto;
  state: TransferBatchStateDto;
  /** Where it goes: an account's folder, or a folder on this computer. */
  destination: { accountId: string; folderId: string } | { path: string };
  createdAt: number;
  finishedAt: number | null;
  /** Set once finished. */
  summary: { done: number; skipped: number; failed: number; cancelled: number; bytes: number } | null;
  /** Files and bytes planned (folders not counted). */
  files: number;
  bytes: number;
  /** Bytes of files done, plus those of running files sent so far. */
  bytesDone: number;
  /** Bytes per second over the last seconds (0 when nothing runs). */
  rate: number;
  /** Jobs not ended yet, and how many of them are paused. */
  open: number;
  paused: number;
  /** Names taken at the destination, while the batch waits for decideTransfer. */
  conflicts: string[];
}

export type TransferJobStateDto =
  | 'queued'
  | 'copying'
  | 'verifying'
  | 'verified'
  | 'relocating'
  | 'creating'
  | 'created'
  | 'done'
  | 'skipped'
  | 'failed'
  | 'cancelled';

export interface TransferJobDto {
  id: number;
  batchId: string;
  kind: 'file' | 'folder';
  /** The source's name and the name at the destination (they differ when renamed). */
  name: string;
  destName: string;
  size: number | null;
  /** Bytes sent so far (the size once done). */
  bytesDone: number;
  state: TransferJobStateDto;
  paused: 'user' | 'needs_reconnect' | 'quota' | null;
  /** How it moves: streamed through this computer, or copied/moved by the provider itself. */
  method: 'stream' | 'server-copy' | 'server-move';
  /** When a failed attempt will be tried again (epoch ms), while backing off. */
  retryAt: number | null;
  /** The folder job whose folder this item goes into (null at the top of the batch). */
  parentJob: number | null;
  /** Why `destName` differs from `name` (the destination refused the name, or it was taken). */
  renamedBecause: string | null;
  /** The hashes both ends agreed on, once verified. */
  verified: Array<{ type: string; value: string }>;
  /** The sha256 of the bytes sent (computed while they passed; null for folders and before). */
  sha256: string | null;
  error: ErrorDto | null;
  note: string | null;
}
