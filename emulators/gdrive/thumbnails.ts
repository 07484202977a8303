/**
 * Thumbnails of images. `thumbnailLink` is a signed, short-lived URL on the emulator's origin,
 * `/drive-storage/<token>=s220` (like Drive's `lh3.googleusercontent.com/drive-storage/...=s220`):
 * the `=sN` suffix picks the longest side. The link needs no Authorization header (the signature is the
 * credential) and dies after `lifetimeMs` or when the content changes. PNGs are decoded and scaled
 * (a real thumbnail of the picture); other images get a flat placeholder tile.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Clock } from '../shared/clock';
import { decodePng, encodePng, placeholder, scaleDown, type RgbImage } from '../shared/png';
import { hashString } from '../shared/prng';
import { BoundedCache } from '../shared/thumbnails';
import type { Content } from './content';

export interface ThumbnailClaim {
  email: string;
  fileId: string;
  revision: number;
}

const MAX_DECODE_BYTES = 20 * 1024 * 1024;
const CACHE_SIZE = 256;

export const hasThumbnail = (mimeType: string) => mimeType.startsWith('image/');

export class Thumbnails {
  private readonly secret = randomBytes(32);
  private readonly cache = new BoundedCache<Buffer>(CACHE_SIZE);

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs = 6 * 3600 * 1000,
  ) {}

  link(origin: string, claim: ThumbnailClaim): string {
    const payload = Buffer.from(
      JSON.stringify([claim.email, claim.fileId, claim.revision, this.clock.now() + this.lifetimeMs]),
    ).toString('base64url');
    return `${origin}/drive-storage/${payload}.${this.sign(payload)}=s220`;
  }

  /** Checks a `<token>=sN` path segment; undefined when forged or expired. */
  verify(segment: string): (ThumbnailClaim & { size: number }) | undefined {
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(?:=s(\d{1,4}))?$/.exec(segment);
    if (!match) return undefined;
    const [, payload, signature, size] = match as unknown as [string, string, string, string | undefined];
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const [email, fileId, revision, expires] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [
      string,
      string,
      number,
      number,
    ];
    if (expires <= this.clock.now()) return undefined;
    return { email, fileId, revision, size: Math.min(1600, Math.max(16, Number(size ?? 220))) };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 22);
  }

  /** A PNG thumbnail (longest side `size`) of an image's content. */
  async render(cacheKey: string, content: Content, size: number): Promise<Buffer> {
    const key = `${cacheKey}:${size}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const image = (await this.decode(content)) ?? placeholder(size, hashString(cacheKey));
    return this.cache.set(key, encodePng(scaleDown(image, size)));
  }

  private async decode(content: Content): Promise<RgbImage | undefined> {
    if (content.kind === 'bytes') return decodePng(content.data);
    if (content.kind === 'blob' && content.blob.image && content.blob.size <= MAX_DECODE_BYTES)
      return decodePng(await readFile(content.blob.path));
    return undefined;
  }
}
