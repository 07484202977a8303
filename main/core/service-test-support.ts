import type { SkyfoldService } from './service';

/**
 * Plays the user's browser for `service`'s cloud sign-ins: opens each sign-in page it announces as
 * it is announced (an emulator with auto-consent then redirects to the engine's loopback at once).
 */
export function followSignInPages(service: SkyfoldService): void {
  service.onEvent((event) => {
    if (event.type === 'sign-in' && event.url) {
      // A page the service no longer waits for (closed, cancelled) may fail to load: nothing to do.
      fetch(event.url)
        .then((response) => response.text())
        .catch(() => undefined);
    }
  });
}
