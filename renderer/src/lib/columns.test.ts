import { describe, expect, it } from 'vitest';
import {
  clampWidth,
  columnDefs,
  defaultWidths,
  gridTemplate,
  maxColumnWidth,
  parseWidths,
  steppedWidth,
} from './columns';

describe('columns', () => {
  it('reads stored widths, falling back per column for anything malformed', () => {
    expect(parseWidths(null)).toEqual(defaultWidths);
    expect(parseWidths('not json')).toEqual(defaultWidths);
    expect(parseWidths('{"size": 120, "type": "wide", "name": 5}')).toEqual({
      ...defaultWidths,
      size: 120,
      name: columnDefs.name.minWidth,
    });
  });

  it('keeps widths within bounds', () => {
    expect(clampWidth('size', 1)).toBe(columnDefs.size.minWidth);
    expect(clampWidth('size', 99999)).toBe(maxColumnWidth);
    expect(clampWidth('size', Number.NaN)).toBe(columnDefs.size.defaultWidth);
    expect(clampWidth('size', 100.6)).toBe(101);
  });

  it('lets the name column take the space left', () => {
    expect(gridTemplate(['name', 'size'], { ...defaultWidths, name: 300, size: 80 })).toBe(
      'minmax(300px, 1fr) 80px',
    );
  });

  it('steps widths from the keyboard', () => {
    expect(steppedWidth('size', 100, 'ArrowRight', false)).toBe(110);
    expect(steppedWidth('size', 100, 'ArrowLeft', true)).toBe(columnDefs.size.minWidth);
    expect(steppedWidth('size', 100, 'End', false)).toBe(maxColumnWidth);
    expect(steppedWidth('size', 100, 'a', false)).toBeNull();
  });
});
