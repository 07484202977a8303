/**
 * Drive-shaped identifiers: file ids are 33 characters starting with `1` (like today's Drive ids),
 * root folder ids look like `0A…Uk9PVA` (`Uk9PVA` is base64 for "ROOT"), upload ids like Google's
 * long opaque session ids. Seeded ids come from a PRNG, so a seed always yields the same ids.
 */
import { randomBytes } from 'node:crypto';
import type { Prng } from '../shared/prng';

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

/** Builds ids as flat strings in one go (concatenating characters would leave a rope of cons strings). */
function encode(values: Uint8Array): string {
  const out = Buffer.allocUnsafe(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ALPHABET[(values[i] as number) & 63] as number;
  return out.toString('latin1');
}

function fromPrng(prng: Prng, length: number): string {
  const values = new Uint8Array(length);
  for (let i = 0; i < length; i++) values[i] = prng.int(64);
  return encode(values);
}

const random = (length: number) => encode(randomBytes(length));

export const newFileId = (prng?: Prng) => '1' + (prng ? fromPrng(prng, 32) : random(32));

export const newRootId = (prng: Prng) => '0A' + fromPrng(prng, 11).replace(/[-_]/g, 'x') + 'Uk9PVA';

export const newUploadId = () => 'ABdpu' + random(70);

/** A file id has 25 or more characters from the URL-safe base64 alphabet. */
export const isFileIdShape = (id: string) => /^[A-Za-z0-9_-]{25,}$/.test(id);
