/**
 * OneDrive's change feed: Graph delta over the whole drive (https://learn.microsoft.com/graph/api/driveitem-delta).
 *
 * - `listAll`: the first crawl is delta without a token (`GET /me/drive/root/delta`: Graph enumerates
 *   the drive), one page per call: `next` is the page's `@odata.nextLink`, made relative, and the
 *   last page's `@odata.deltaLink` once done (it points at the start of the enumeration: what
 *   changed meanwhile comes again). The root and deleted items are left out. An expired link (410)
 *   or one Graph cannot read (400) throws invalid_argument: list again;
 * - `startCursor`: `GET /me/drive/root/delta?token=latest` answers no items, only an
 *   `@odata.deltaLink` for "now": the cursor is that link, made relative (links.ts);
 * - `changesSince`: follows `@odata.nextLink`s until a page carries the `@odata.deltaLink` (the cursor
 *   to use next), or `maxPages` pages (then the batch so far is returned with the nextLink reached as
 *   the cursor and `more: true`: the caller asks again from there, and memory stays bounded). Items
 *   come in their latest state, possibly more than once (the last one wins), with their parent as
 *   `parentReference.id` (delta reports no paths): live items become upserts; items with the
 *   `deleted` facet (deleted, or in the recycle bin; their name may be missing) become `remove` by
 *   id, which removes a folder's subtree too. Folders whose only change is below them are not asked
 *   for (`Prefer: deltaExcludeParent`), and the root itself is left out. An expired token (410
 *   `resyncRequired`) or one Graph cannot read (400) throws invalid_argument: crawl again.
 *
 * Graph offers no long poll (webhooks need a public endpoint): the feed is polled.
 */
import { SkyfoldError } from '../../../../common/errors';
import type { ChangeFeed, ProviderChange } from '../types';
import type { OnedriveApi } from './api';
import { expectObject, itemFields, readItem, toProviderItem, type DriveItem } from './wire';

/**
 * Folders whose only change is below them (their size, their cTag) are left out: the index does not
 * keep folder sizes, and a change deep in the tree would otherwise bring every folder above it.
 */
const deltaHeaders = { Prefer: 'deltaExcludeParent' };

/** Pages read by one `changesSince` call before it returns what it has. */
export const defaultMaxChangePages = 50;

export class OnedriveChangeFeed implements ChangeFeed {
  constructor(
    private readonly api: OnedriveApi,
    private readonly rootId: string,
    private readonly maxPages = defaultMaxChangePages,
    /** Items per `listAll` page (delta's `$top`); null: Graph's default. */
    private readonly listAllPageSize: number | null = null,
  ) {}

  /**
   * Every item of the drive but the root, a page of delta's enumeration per call (see the module
   * comment). Safe to repeat; invalid_argument for an expired, unreadable or foreign `from`.
   */
  async listAll(from: string | null): Promise<{ changes: ProviderChange[]; next: string; done: boolean }> {
    if (from !== null && !isDeltaCursor(from)) {
      throw new SkyfoldError('invalid_argument', 'not a OneDrive listing position; list again');
    }
    const top = this.listAllPageSize === null ? '' : `&$top=${this.listAllPageSize}`;
    const page = readDeltaPage(
      await this.api.json(
        'listing the whole drive',
        {
          method: 'GET',
          path: from ?? `/me/drive/root/delta?$select=${itemFields}${top}`,
          headers: deltaHeaders,
        },
        // A link Graph cannot read (400) is as unusable as an expired one (410): list again.
        from === null ? {} : { statusCodes: { 400: 'invalid_argument' } },
      ),
    );
    // Items deleted while the enumeration runs come as removals, in order (toChange).
    const changes = page.items.flatMap((item) => this.toChange(item) ?? []);
    if (page.deltaLink !== undefined) {
      return { changes, next: this.api.relative(page.deltaLink, 'a delta link'), done: true };
    }
    const next = this.api.relative(page.nextLink!, 'a delta page link');
    if (next === from) {
      throw new SkyfoldError('permanent', 'OneDrive repeated a delta link (the listing would never end)');
    }
    return { changes, next, done: false };
  }

  /** A cursor for "now" over the whole drive. Safe to repeat. */
  async startCursor(): Promise<string> {
    const page = readDeltaPage(
      await this.api.json('the change feed', {
        method: 'GET',
        path: `/me/drive/root/delta?token=latest&$select=${itemFields}`,
        headers: deltaHeaders,
      }),
    );
    if (page.deltaLink === undefined) throw new SkyfoldError('permanent', 'OneDrive sent no delta link');
    return this.api.relative(page.deltaLink, 'a delta link');
  }

  /**
   * The changes since `cursor`, oldest first, and the next cursor: every change, or those of the
   * first `maxPages` pages with `more: true` (call again at once with the cursor returned). Safe to
   * repeat; invalid_argument for an expired or foreign cursor.
   */
  async changesSince(cursor: string): Promise<{ changes: ProviderChange[]; cursor: string; more: boolean }> {
    if (!isDeltaCursor(cursor)) {
      throw new SkyfoldError('invalid_argument', 'not a OneDrive change cursor; crawl again');
    }
    const changes: ProviderChange[] = [];
    let current = cursor;
    for (let pages = 1; ; pages++) {
      const page = readDeltaPage(
        await this.api.json(
          'the change feed',
          { method: 'GET', path: current, headers: deltaHeaders },
          // A token Graph cannot read (400) is as unusable as an expired one (410): crawl again.
          { statusCodes: { 400: 'invalid_argument' } },
        ),
      );
      for (const item of page.items) {
        const change = this.toChange(item);
        if (change) changes.push(change);
      }
      if (page.deltaLink !== undefined) {
        return { changes, cursor: this.api.relative(page.deltaLink, 'a delta link'), more: false };
      }
      const next = this.api.relative(page.nextLink!, 'a delta page link');
      if (next === current) {
        throw new SkyfoldError('permanent', 'OneDrive repeated a delta link (the feed would never end)');
      }
      if (pages >= this.maxPages) return { changes, cursor: next, more: true };
      current = next;
    }
  }

  private toChange(item: DriveItem): ProviderChange | null {
    if (item.id === this.rootId || item.root) return null;
    if (item.deleted) return { kind: 'remove', id: item.id };
    return { kind: 'upsert', item: toProviderItem(item, this.rootId) };
  }
}

/** A cursor this feed handed out: a relative delta link of the drive. */
function isDeltaCursor(cursor: string): boolean {
  return /^\/(me\/drive|drives\/[^/?]+)\/(root|items\/[^/?]+)\/delta(\(\))?(\?|$)/.test(cursor);
}

/** A delta page, checked: its items and exactly one of nextLink / deltaLink. Throws permanent when malformed. */
export function readDeltaPage(value: unknown): { items: DriveItem[]; nextLink?: string; deltaLink?: string } {
  const page = expectObject(value, 'a delta page');
  const nextLink = page['@odata.nextLink'];
  const deltaLink = page['@odata.deltaLink'];
  const links = [nextLink, deltaLink].filter((link) => link !== undefined);
  if (!Array.isArray(page.value) || links.length !== 1 || typeof links[0] !== 'string') {
    throw new SkyfoldError('permanent', 'OneDrive sent a malformed delta page');
  }
  return {
    items: page.value.map((item) => readItem(item, 'a changed item')),
    ...(typeof nextLink === 'string' ? { nextLink } : {}),
    ...(typeof deltaLink === 'string' ? { deltaLink } : {}),
  };
}
