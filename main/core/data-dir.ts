/**
 * Where Skyfold keeps its databases. The same per-user app-data directory Electron's
 * `app.getPath('userData')` gives the desktop app (product name "Skyfold"), so the CLI, the web host
 * and the desktop app share one index. `SKYFOLD_DATA_DIR` overrides it.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export const productName = 'Skyfold';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.SKYFOLD_DATA_DIR) return path.resolve(env.SKYFOLD_DATA_DIR);
  const home = os.homedir();
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', productName);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), productName);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), productName);
  }
}
