/**
 * Transfers as they cross the contract (docs/design/transfers.md §5): plain JSON, never an upload
 * checkpoint (it is a credential).
 */
import type { ErrorDto } from './errors';

export const transferOps = ['copy', 'move'] as const;
export type TransferOpDto = (typeof transferOps)[number];
export const conflictChoices = ['rename', 'replace', 'skip'] as const;
export type ConflictChoiceDto = (typeof conflictChoices)[number];

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
  summary: { done: number; skipped: number; failed: number; bytes: number } | null;
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
  state: TransferJobStateDto;
  paused: 'user' | 'needs_reconnect' | 'quota' | null;
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
