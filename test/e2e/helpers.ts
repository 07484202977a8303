/**
 * What the end-to-end specs share: the web host's token URL, screenshots, the names the file list
 * shows, the same listing and search from the built CLI, and adding a cloud account the way a person does.
 * global-setup.ts prepares the data directory, the emulators and the server these read from.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';

/** The web host's URL, with its access token. */
export const appUrl = () => process.env.SKYFOLD_E2E_URL!;

/** The breadcrumb buttons of the active pane (the chevrons beside them are menus, left out). */
export const crumbs = (page: Page): Locator =>
  page.locator('.pane.active').getByTestId('breadcrumbs').locator('.crumb-button');

/** Dismisses the notices banner (the keyring notice of this machine), for screenshots of the app itself. */
export async function dismissNotices(page: Page): Promise<void> {
  const dismiss = page
    .getByRole('status')
    .filter({ hasText: 'keyring' })
    .getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.click();
}

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/${name}.png` });

/**
 * Names of the rendered rows, in order, once the list has settled: no placeholder rows left and
 * at least `atLeast` names rendered (a scroll or sort re-renders asynchronously).
 */
export async function visibleNames(page: Page, atLeast = 1): Promise<string[]> {
  const placeholders = page.locator('[data-testid="file-row"][data-placeholder="true"]');
  await expect
    .poll(
      async () =>
        (await placeholders.count()) === 0 && (await page.getByTestId('file-name').count()) >= atLeast,
    )
    .toBe(true);
  return page.getByTestId('file-name').allTextContents();
}

/** `skyfold ls <target> --json <flags>` on the same data directory: the names the index holds, in order. */
export function cliNames(target: string, ...flags: string[]): string[] {
  const result = spawnSync(
    process.execPath,
    ['bin/skyfold.mjs', '--data-dir', process.env.SKYFOLD_E2E_DATA!, 'ls', target, '--json', ...flags],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { name: string }).name);
}

/** One line of `skyfold search --json`. */
export interface CliSearchHit {
  account: string;
  id: string;
  /** From the account's root: `/Documents/Invoices/budget-0007.pdf`. */
  path: string;
  name: string;
  size: number | null;
  modified: string | null;
  kind: 'file' | 'folder';
}

/** `skyfold search <query> --json <flags>` on the same data directory: the results the index gives, in order. */
export function cliSearch(query: string, ...flags: string[]): CliSearchHit[] {
  const result = spawnSync(
    process.execPath,
    ['bin/skyfold.mjs', '--data-dir', process.env.SKYFOLD_E2E_DATA!, 'search', query, '--json', ...flags],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CliSearchHit);
}

export interface CloudSignIn {
  /** The cloud's button in the Add account dialog, e.g. `Dropbox`. */
  choice: string;
  /** The dialog's link to the cloud's sign-in page, e.g. `Open the Dropbox sign-in page`. */
  signInLink: string;
  /** The emulator's user to pick on its consent page. */
  user: string;
  /** Runs on the consent page just before Allow is pressed (e.g. for a screenshot). */
  beforeAllow?: (consentPage: Page) => Promise<unknown>;
}

/**
 * Adds a cloud account from the app's start page the way a person does: Add account -> the cloud ->
 * the sign-in link, which opens the emulator's consent page in a new tab -> pick `user` -> Allow.
 * Waits for the consent page's "close this window" answer and closes that tab. Returns the Add
 * account dialog (it closes once the account is added).
 */
export async function addCloudAccount(page: Page, signIn: CloudSignIn): Promise<Locator> {
  await page.goto(appUrl());
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByRole('button', { name: signIn.choice }).click();

  const link = dialog.getByRole('link', { name: signIn.signInLink });
  const [consentPage] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await consentPage.locator(`input[name="user"][value="${signIn.user}"]`).check();
  await signIn.beforeAllow?.(consentPage);
  await consentPage.getByRole('button', { name: 'Allow' }).click();
  await expect(consentPage.locator('body')).toContainText(/close this window/i);
  await consentPage.close();
  return dialog;
}

/** `skyfold du <target> --json` on the same data directory: files, folders and bytes under a folder. */
export function cliDiskUsage(target: string): { files: number; folders: number; bytes: number } {
  const result = spawnSync(
    process.execPath,
    ['bin/skyfold.mjs', '--data-dir', process.env.SKYFOLD_E2E_DATA!, 'du', target, '--json'],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { files: number; folders: number; bytes: number };
}
