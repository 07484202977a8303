/**
 * What a transfer hashes and compares (docs/design/transfers.md §2.4). Every byte is hashed once
 * (HashSet) into: sha256 (kept in the index, so files can be matched across clouds); the source's
 * own hash type, checked before the last chunk goes on (the bytes read are the bytes the source
 * reports); and the destination's own types, compared with what the destination reports after the
 * write. Pure functions: no I/O.
 */
import type { HashType } from '../providers/types';

export type Hashes = Partial<Record<HashType, string>>;

/** Source hash types by preference: sha256 is computed anyway; then the cheapest of the others. */
const sourcePreference: readonly HashType[] = ['sha256', 'quickxor', 'md5', 'sha1', 'dropbox'];

export interface HashPlan {
  /** Every type to compute while the bytes pass. */
  compute: HashType[];
  /** The type the source reported that the bytes are checked against; null when it reported none. */
  sourceCheck: HashType | null;
}

/**
 * The plan for copying a file whose source reported `sourceHashes` to a destination whose
 * provider reports `destinationTypes` (`features.hashTypes`).
 */
export function planHashes(sourceHashes: Hashes, destinationTypes: readonly HashType[]): HashPlan {
  const sourceCheck = sourcePreference.find((type) => sourceHashes[type] !== undefined) ?? null;
  const compute = new Set<HashType>(['sha256', ...destinationTypes]);
  if (sourceCheck) compute.add(sourceCheck);
  return { compute: [...compute], sourceCheck };
}

/**
 * Null when the bytes read match what the source reported (or it reported nothing to check), else
 * why not.
 */
export function sourceMismatch(plan: HashPlan, sourceHashes: Hashes, computed: Hashes): string | null {
  const type = plan.sourceCheck;
  if (type === null) return null;
  const expected = sourceHashes[type];
  const actual = computed[type];
  return expected === actual ? null : `the source's bytes have ${type} ${actual}, it reports ${expected}`;
}

export interface DestinationCheck {
  /** Types both sides have and agree on. */
  matched: HashType[];
  /** Types both sides have that differ: the copy is bad. */
  mismatched: HashType[];
}

/** Compares the destination's reported hashes with the computed ones, type by type. */
export function checkDestination(computed: Hashes, destinationHashes: Hashes): DestinationCheck {
  const check: DestinationCheck = { matched: [], mismatched: [] };
  for (const [type, value] of Object.entries(destinationHashes) as [HashType, string][]) {
    const ours = computed[type];
    if (ours === undefined) continue;
    (normalized(type, ours) === normalized(type, value) ? check.matched : check.mismatched).push(type);
  }
  return check;
}

/** Hex digests compare case-insensitively; base64 (QuickXorHash) exactly. */
function normalized(type: HashType, value: string): string {
  return type === 'quickxor' ? value : value.toLowerCase();
}
