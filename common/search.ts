/**
 * What a search asks for, as data: the shape the query syntax (`report ext:pdf size:>10MB in:dropbox`)
 * parses into, the UI's filter chips edit, and the index's search engine answers. Plain JSON.
 */
import type { ItemDto } from './dto';

/** Type categories, decided by extension first, then by MIME type. */
export const searchCategories = [
  'images',
  'documents',
  'spreadsheets',
  'presentations',
  'video',
  'audio',
  'archives',
  'code',
] as const;
export type SearchCategory = (typeof searchCategories)[number];

export const searchSortKeys = ['relevance', 'name', 'size', 'modified'] as const;
export type SearchSortKey = (typeof searchSortKeys)[number];

export interface SearchQuery {
  /**
   * Words that must ALL occur in the name, each as a substring of any length (1 character included),
   * compared case- and accent-insensitively. Empty: every item matching the filters.
   */
  terms: string[];
  kind?: 'file' | 'folder';
  /** Any of these categories. */
  categories?: SearchCategory[];
  /** Any of these extensions, lower case, without the dot (`pdf`). */
  extensions?: string[];
  /** Bytes, inclusive. Folders never match a size filter. */
  size?: { min?: number; max?: number };
  /** Epoch ms, `from` inclusive, `to` exclusive. */
  modified?: { from?: number; to?: number };
  /**
   * Any of these accounts, as typed: an account name (case-insensitive), an id, or a provider kind
   * (`dropbox`, `gdrive`, `onedrive`, `local`).
   */
  accounts?: string[];
  /** Only items inside this folder (at any depth). */
  within?: { accountId: string; folderId: string };
  sort?: { by: SearchSortKey; direction: 'asc' | 'desc' };
}

/** One search result: the item and the folder it is in, from its account's root (`/`, `/Photos/2024`). */
export interface SearchHitDto {
  item: ItemDto;
  folderPath: string;
}

export interface SearchResultDto {
  /** How many items match (all of them, not only this page). */
  total: number;
  /** False when `total` is a lower bound (a search that stopped counting). */
  totalExact: boolean;
  offset: number;
  items: SearchHitDto[];
}
