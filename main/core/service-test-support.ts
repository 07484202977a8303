import type { RunningEmulators } from '../../emulators';
import type { TokenStore } from './auth';
import { SkyfoldService } from './service';

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

/**
 * A service in `dataDir` whose three clouds are the running emulators (client id `skyfold-tests`,
 * OneDrive's `onedriveClientId` when given), with its tokens in `tokens` and its sign-in pages followed.
 */
export function openOnEmulators(options: {
  dataDir: string;
  emulators: RunningEmulators;
  tokens: TokenStore;
  onedriveClientId?: string;
}): SkyfoldService {
  const { emulators } = options;
  const service = SkyfoldService.open({
    dataDir: options.dataDir,
    env: {
      SKYFOLD_GDRIVE_CLIENT_ID: 'skyfold-tests',
      SKYFOLD_GDRIVE_ENDPOINT: emulators.gdrive.url,
      SKYFOLD_DROPBOX_CLIENT_ID: 'skyfold-tests',
      SKYFOLD_DROPBOX_ENDPOINT: emulators.dropbox.url,
      // An ephemeral loopback port: the CLI test owns Dropbox's fixed one while tests run in parallel.
      SKYFOLD_DROPBOX_REDIRECT_PORT: '0',
      SKYFOLD_ONEDRIVE_CLIENT_ID: options.onedriveClientId ?? 'skyfold-tests',
      SKYFOLD_ONEDRIVE_ENDPOINT: emulators.onedrive.url,
    },
    openTokenStore: async () => options.tokens,
  });
  followSignInPages(service);
  return service;
}
