import { useCallback, useEffect, useRef, useState } from 'react';

export interface Toast {
  id: number;
  text: string;
  tone: 'success' | 'warning' | 'error';
  /** A button beside the text (e.g. Undo); pressing it also dismisses the toast. */
  action?: { label: string; run: () => void };
}

/** Short messages in a corner; each goes away by itself after `timeoutMs` (errors stay twice as long). */
export function useToasts(timeoutMs = 8000) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((toast) => toast.id !== id));
  }, []);

  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      // At most a handful at once: the newest stay.
      setToasts((list) => [...list.slice(-3), { ...toast, id }]);
      const timer = setTimeout(
        () => {
          timers.current.delete(timer);
          dismiss(id);
        },
        toast.tone === 'error' ? timeoutMs * 2 : timeoutMs,
      );
      timers.current.add(timer);
    },
    [dismiss, timeoutMs],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    };
  }, []);

  return { toasts, push, dismiss };
}
