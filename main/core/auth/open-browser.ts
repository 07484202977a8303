/**
 * Opening the sign-in URL in the system browser from the CLI (and the web host). Electron passes
 * `shell.openExternal` instead.
 *
 * The URL is passed to the opener program as one argument, never through a shell: `xdg-open URL`
 * (Linux/BSD), `open URL` (macOS), `rundll32 url.dll,FileProtocolHandler URL` (Windows - `cmd /c start`
 * would re-parse the `&` between query parameters). Only http(s) URLs are opened.
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { SkyfoldError } from '../../../common/errors';

export interface BrowserCommand {
  command: string;
  args: string[];
}

/** The program that opens `url` on `platform`. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): BrowserCommand {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

export interface CliBrowserOpenerOptions {
  /** `--no-browser`: only print the URL. */
  noBrowser?: boolean;
  /** Where the messages go; default stderr. */
  write?: (text: string) => void;
  platform?: NodeJS.Platform;
  /** Injected for tests. */
  spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
}

/** The exact line printed when the URL must be opened by hand (scripts and tests look for it). */
export function openThisUrlLine(url: string): string {
  return `Open this URL to sign in: ${url}\n`;
}

/**
 * An `openBrowser` for runAuthorizationCodeFlow. With `noBrowser` it prints `Open this URL to sign in:
 * URL` (stderr). Otherwise it starts the system opener; if that cannot start or exits with a failure it
 * prints the same line. Rejects only for a URL that is not http(s) (SkyfoldError `invalid_argument`);
 * never because no browser could be started.
 */
export function createCliBrowserOpener(
  options: CliBrowserOpenerOptions = {},
): (url: string) => Promise<void> {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const spawn = options.spawn ?? nodeSpawn;
  return async (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SkyfoldError('invalid_argument', `not a URL: ${url}`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new SkyfoldError('invalid_argument', `refusing to open a non-web URL: ${url}`);
    }
    if (options.noBrowser) {
      write(openThisUrlLine(url));
      return;
    }
    const { command, args } = browserCommand(url, options.platform);
    let printed = false;
    const fallback = (): void => {
      if (printed) return;
      printed = true;
      write(openThisUrlLine(url));
    };
    const started = await new Promise<boolean>((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true, shell: false });
      } catch {
        resolve(false);
        return;
      }
      child.once('error', () => {
        resolve(false); // no-op when it already resolved true
        fallback();
      });
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
      child.once('exit', (code) => {
        if (code !== 0) fallback();
      });
    });
    if (started) {
      write(`Opening your browser to sign in. If it does not open, go to: ${url}\n`);
    } else {
      fallback();
    }
  };
}
