/**
 * The virtualization both row lists share (folder listing, search results): a fixed row height,
 * only the rows in view plus overscan rendered, and which pages of `pageSize` rows beyond the first
 * (which comes with the list's first answer) the rendered rows touch, to be fetched.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RefObject } from 'react';
import { pagesForRange } from '../lib/paging';

/** Pixels per row, in every list. */
export const rowHeight = 32;
const overscan = 10;

export function useVirtualRows(total: number, scrollRef: RefObject<HTMLDivElement | null>) {
  // The app does not use React Compiler; the virtualizer re-renders its component when the range changes.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    useFlushSync: false,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const firstIndex = virtualItems[0]?.index ?? 0;
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? -1;
  const laterPages = pagesForRange(firstIndex, lastIndex, total).filter((page) => page !== 0);
  return { virtualizer, virtualItems, laterPages };
}
