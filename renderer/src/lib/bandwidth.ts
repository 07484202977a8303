/**
 * The bandwidth limit as the settings form edits it: an amount and a unit, or unlimited. Units are
 * binary, as the CLI's rates (`skyfold transfers limit 512K` shows as 512 KB/s here).
 */

export const bandwidthUnits = { 'KB/s': 1024, 'MB/s': 1024 * 1024 } as const;
export type BandwidthUnit = keyof typeof bandwidthUnits;
/** The smallest limit the engine takes, bytes per second (common/contract.ts). */
export const minBandwidth = 1024;

export interface BandwidthField {
  unit: BandwidthUnit | 'unlimited';
  /** The amount as typed ("" when unlimited). */
  amount: string;
}

/** The form's values for a limit (bytes per second, null = unlimited): MB/s from 1 MB/s, two decimals at most. */
export function bandwidthField(limit: number | null): BandwidthField {
  if (limit === null) return { unit: 'unlimited', amount: '' };
  const unit: BandwidthUnit = limit >= bandwidthUnits['MB/s'] ? 'MB/s' : 'KB/s';
  return { unit, amount: String(Math.round((limit / bandwidthUnits[unit]) * 100) / 100) };
}

/** The limit the form's values ask for, or why they cannot be one. */
export function parseBandwidthField(
  field: BandwidthField,
): { ok: true; limit: number | null } | { ok: false; error: string } {
  if (field.unit === 'unlimited') return { ok: true, limit: null };
  const amount = Number(field.amount.trim().replace(',', '.'));
  if (field.amount.trim() === '' || !Number.isFinite(amount) || amount <= 0)
    return { ok: false, error: 'Enter a positive number for the bandwidth limit, or choose Unlimited.' };
  const limit = Math.round(amount * bandwidthUnits[field.unit]);
  if (limit < minBandwidth) return { ok: false, error: 'The smallest bandwidth limit is 1 KB/s.' };
  return { ok: true, limit };
}
