import { describe, expect, it, vi } from 'vitest';
import { desktopBridge } from './desktop-bridge';

describe('desktopBridge', () => {
  it('is null in the web host (no preload extras)', () => {
    expect(desktopBridge(undefined)).toBeNull();
    expect(desktopBridge({ call: () => null, onEvent: () => null })).toBeNull();
    expect(desktopBridge({ pathForFile: () => '' })).toBeNull();
  });
  it('wraps the preload’s functions', () => {
    const startDrag = vi.fn();
    const bridge = desktopBridge({ pathForFile: () => '/home/me/a.txt', startDrag });
    expect(bridge?.pathForFile(new File([], 'a.txt'))).toBe('/home/me/a.txt');
    bridge?.startDrag(['/tmp/a']);
    expect(startDrag).toHaveBeenCalledWith(['/tmp/a']);
  });
});
