/** A modal dialog: a backdrop, focus moved in and kept in (Tab wraps), Escape closes, focus restored after. */
import { useEffect, useRef, type ReactNode } from 'react';
import { nextFocusIndex } from '../lib/keyboard';

const focusable =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

export function Modal({
  role = 'dialog',
  label,
  labelledBy,
  describedBy,
  onClose,
  className,
  testId,
  children,
}: {
  role?: 'dialog' | 'alertdialog';
  label?: string | undefined;
  labelledBy?: string | undefined;
  describedBy?: string | undefined;
  onClose: () => void;
  className?: string | undefined;
  testId?: string | undefined;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (dialog && !dialog.contains(document.activeElement)) {
      const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector(focusable);
      (first ?? dialog).focus();
    }
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <div className="modal-backdrop">
      <div
        ref={ref}
        className={className ? `modal ${className}` : 'modal'}
        role={role}
        aria-modal="true"
        aria-label={label}
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={(event) => {
          // Keys pressed in the dialog are the dialog's: the explorer's shortcuts (Backspace) stay out.
          event.stopPropagation();
          if (event.key === 'Escape') {
            event.preventDefault();
            onCloseRef.current();
            return;
          }
          if (event.key !== 'Tab' || !ref.current) return;
          const items = Array.from(ref.current.querySelectorAll<HTMLElement>(focusable));
          const next = nextFocusIndex(
            items.indexOf(document.activeElement as HTMLElement),
            items.length,
            event.shiftKey,
          );
          if (next === null) return;
          event.preventDefault();
          items[next]?.focus();
        }}
      >
        {children}
      </div>
    </div>
  );
}
