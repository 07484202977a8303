import { useEffect, useRef } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import { destinationLabel, finishedMessage, wantsSystemNotification } from '../lib/transfers';
import type { Toast } from './use-toasts';

/**
 * A batch that ended says so: a toast in the window, and a system notification when the window is
 * hidden and notifications are allowed.
 */
export function useTransferNotifications(
  api: SkyfoldApi,
  accounts: readonly AccountDto[] | undefined,
  push: (toast: Omit<Toast, 'id'>) => void,
): void {
  const accountsRef = useRef(accounts);
  useEffect(() => {
    accountsRef.current = accounts;
  });
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type !== 'transfer-finished') return;
        const message = finishedMessage(
          event.batch,
          destinationLabel(event.batch.destination, accountsRef.current),
        );
        push(message);
        const permission = typeof Notification === 'undefined' ? null : Notification.permission;
        if (!wantsSystemNotification(document.hidden, permission)) return;
        try {
          new Notification('Skyfold', { body: message.text, tag: `transfer-${event.batch.id}` });
        } catch {
          // Some platforms allow notifications only from a service worker: the toast is there.
        }
      }),
    [api, push],
  );
}
