/**
 * Running the CLI in-process from tests, the way a person at a terminal does (browser included), and
 * reading what it printed and stored.
 */
import * as fs from 'node:fs/promises';
import { runCli } from './program';
import type { ProgressStream } from './transfer-progress';

/** Where a test's CLI runs. */
export interface CliPlace {
  /** Working directory (relative paths resolve here) and renderer directory. */
  base: string;
  /** `--data-dir`: the index, credentials... */
  dataDir: string;
  env: Record<string, string>;
  /** A terminal for live progress bars (none: output is not a terminal). */
  progressStream?: ProgressStream;
}

/** What one CLI run returned and printed, and the sign-in pages "the browser" opened meanwhile. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  /** Every sign-in URL the CLI printed, in order. */
  signInUrls: URL[];
  /** The text of each sign-in page the browser ended on (the CLI's loopback answer after auto-consent). */
  pages: string[];
}

/**
 * Runs `skyfold <args>` in `place` and plays the user's browser: each "Open this URL to sign in: …"
 * the CLI prints is opened at once (an emulator with auto-consent redirects straight to the CLI's
 * loopback). Resolves once the CLI has finished and every opened page has loaded.
 */
export async function runCliAsUser(args: string[], place: CliPlace): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const signInUrls: URL[] = [];
  const browsing: Promise<string>[] = [];
  const status = await runCli(['--data-dir', place.dataDir, ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => {
      stderr += text;
      const match = /Open this URL to sign in: (\S+)/.exec(text);
      if (!match) return;
      signInUrls.push(new URL(match[1]!));
      browsing.push(fetch(match[1]!).then((response) => response.text()));
    },
    env: place.env,
    cwd: place.base,
    rendererDir: place.base,
    untilStopped: () => Promise.resolve(),
    ...(place.progressStream ? { progressStream: place.progressStream } : {}),
  });
  const pages = await Promise.all(browsing);
  return { status, stdout, stderr, signInUrls, pages };
}

/** The records of a `--json` listing: one JSON object a line. */
export function jsonLines<T>(stdout: string): T[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

/** The refresh token the CLI stored for `accountId` in its credentials file, if any. */
export async function storedRefreshToken(
  credentialsFile: string,
  accountId: string,
): Promise<string | undefined> {
  const stored = JSON.stringify(JSON.parse(await fs.readFile(credentialsFile, 'utf8')));
  return new RegExp(`"${accountId}":\\{[^}]*"refreshToken":"([^"]+)"`).exec(stored)?.[1];
}

/** The token endpoint's JSON answer to a refresh with `refreshToken` (an error object once the grant is revoked). */
export async function refreshAnswer(
  tokenUrl: string,
  clientId: string,
  refreshToken: string,
): Promise<unknown> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
    }),
  });
  return response.json();
}
