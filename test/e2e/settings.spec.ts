/**
 * The settings page (#/settings), the way a person uses it: the theme switches the colours at once
 * and survives a reload; the transfer limits are saved in the engine (the CLI reads them back); a
 * cloud's client settings are saved and shown beside the environment's (which wins: global-setup
 * sets every cloud's client id and emulator endpoint); the index is rebuilt after a confirmation.
 * axe-core finds no serious or critical violation in light or dark. Everything changed is put back:
 * every spec shares one data directory.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { appUrl, screenshot } from './helpers';

/** A spec run alone meets the engine's startup crawl of the 100,000-entry demo folder first. */
test.setTimeout(120_000);

const settingsUrl = () => `${appUrl()}#/settings`;
const section = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const background = (page: Page) =>
  page.getByTestId('settings-page').evaluate((element) => {
    const view = element.ownerDocument.defaultView!;
    return view.getComputedStyle(element).backgroundColor;
  });

/** `skyfold transfers limit <args> --json` on the same data directory. */
function cliLimit(...args: string[]): { bandwidthLimit: number | null; concurrency: number } {
  const result = spawnSync(
    process.execPath,
    ['bin/skyfold.mjs', '--data-dir', process.env.SKYFOLD_E2E_DATA!, 'transfers', 'limit', ...args, '--json'],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { bandwidthLimit: number | null; concurrency: number };
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('[data-testid="settings-page"]').analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(
    serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`),
  ).toEqual([]);
}

async function openSettings(page: Page): Promise<void> {
  await page.goto(settingsUrl());
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
}

test('the theme follows the choice, survives a reload, and both themes pass axe', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openSettings(page);
  const appearance = section(page, 'Appearance');
  await appearance.getByRole('radio', { name: /^Light/ }).check();
  await expect.poll(() => background(page)).toBe('rgb(255, 255, 255)');
  await expectNoSeriousViolations(page);
  await screenshot(page, 'settings-light');

  await appearance.getByRole('radio', { name: /^Dark/ }).check();
  await expect.poll(() => background(page)).toBe('rgb(22, 24, 27)');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(section(page, 'Appearance').getByRole('radio', { name: /^Dark/ })).toBeChecked();
  await expect.poll(() => background(page)).toBe('rgb(22, 24, 27)');
  await expectNoSeriousViolations(page);
  await screenshot(page, 'settings-dark');

  // System: the OS decides again (dark here), and the choice is no longer stored.
  await page.emulateMedia({ colorScheme: 'dark' });
  await section(page, 'Appearance')
    .getByRole('radio', { name: /^System/ })
    .check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
  await expect.poll(() => background(page)).toBe('rgb(22, 24, 27)');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => background(page)).toBe('rgb(255, 255, 255)');
  expect(await page.evaluate(() => localStorage.getItem('skyfold.theme'))).toBeNull();
});

test('transfer limits are saved in the engine and read back', async ({ page }) => {
  await openSettings(page);
  const transfers = section(page, 'Transfers');
  try {
    await transfers.getByLabel('Transfers at once').fill('17');
    await transfers.getByRole('button', { name: 'Save transfer limits' }).click();
    await expect(transfers.getByRole('alert')).toHaveText(/from 1 to 16/);

    await transfers.getByLabel('Transfers at once').fill('3');
    await transfers.getByLabel('Bandwidth limit unit').selectOption('MB/s');
    await transfers.getByLabel('Bandwidth limit amount').fill('2');
    await transfers.getByRole('button', { name: 'Save transfer limits' }).click();
    await expect(transfers.getByRole('status').first()).toHaveText('Transfer limits saved.');
    expect(cliLimit()).toEqual({ bandwidthLimit: 2 * 1024 * 1024, concurrency: 3 });

    // Set elsewhere (the CLI): the page shows the engine's values after a reload.
    cliLimit('512K', '--concurrency', '5');
    await page.reload();
    await expect(section(page, 'Transfers').getByLabel('Transfers at once')).toHaveValue('5');
    await expect(section(page, 'Transfers').getByLabel('Bandwidth limit amount')).toHaveValue('512');
    await expect(section(page, 'Transfers').getByLabel('Bandwidth limit unit')).toHaveValue('KB/s');

    await section(page, 'Transfers').getByLabel('Bandwidth limit unit').selectOption('unlimited');
    await section(page, 'Transfers').getByRole('button', { name: 'Save transfer limits' }).click();
    await expect(section(page, 'Transfers').getByRole('status').first()).toHaveText('Transfer limits saved.');
    expect(cliLimit().bandwidthLimit).toBeNull();
  } finally {
    cliLimit('off', '--concurrency', 'default');
  }
});

test("a cloud's client settings are saved and shown beside the environment's", async ({ page }) => {
  await openSettings(page);
  const drive = page.getByTestId('cloud-settings-gdrive');
  try {
    await drive.getByLabel('Client ID').fill('saved-by-e2e.apps.googleusercontent.com');
    await drive.getByText('Endpoints', { exact: true }).click();
    await drive.getByLabel(/^Endpoint base URL/).fill('http://example.com');
    await drive.getByRole('button', { name: 'Save Google Drive' }).click();
    await expect(drive.getByRole('alert')).toContainText('https');

    await drive.getByLabel(/^Endpoint base URL/).fill('https://drive-proxy.example');
    await drive.getByRole('button', { name: 'Save Google Drive' }).click();
    await expect(drive.getByRole('status')).toHaveText('Google Drive settings saved.');

    await page.reload();
    const reloaded = page.getByTestId('cloud-settings-gdrive');
    await expect(reloaded.getByLabel('Client ID')).toHaveValue('saved-by-e2e.apps.googleusercontent.com');
    await expect(reloaded.getByLabel(/^Endpoint base URL/)).toHaveValue('https://drive-proxy.example');
    // The environment (global-setup) still decides what sign-in uses, and the page says so.
    const inUse = page.getByTestId('cloud-in-use-gdrive');
    await expect(inUse).toContainText('skyfold-e2e.apps.googleusercontent.com (from the environment)');
    await expect(inUse).toContainText(process.env.SKYFOLD_E2E_GDRIVE_URL!);
    await expect(inUse).toContainText('wins over what is saved here');
  } finally {
    await page.reload();
    const again = page.getByTestId('cloud-settings-gdrive');
    await again.getByLabel('Client ID').fill('');
    if (!(await again.getByLabel(/^Endpoint base URL/).isVisible()))
      await again.getByText('Endpoints', { exact: true }).click();
    await again.getByLabel(/^Endpoint base URL/).fill('');
    await again.getByRole('button', { name: 'Save Google Drive' }).click();
    await expect(again.getByRole('status')).toHaveText('Google Drive settings saved.');
  }
});

test('the index is rebuilt after a confirmation that says the old one stays usable', async ({ page }) => {
  await openSettings(page);
  const storage = section(page, 'Storage');
  await expect(storage.getByTestId('data-dir')).toHaveText(process.env.SKYFOLD_E2E_DATA!);
  await expect(storage.getByTestId('index-size')).toHaveText(/\d.* · [\d,]+ items?/);

  await storage.getByRole('button', { name: 'Rebuild index…' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Rebuild the index?' });
  await expect(dialog).toContainText('stays usable');
  await dialog.getByRole('button', { name: 'Cancel' }).press('Escape');
  await expect(dialog).toBeHidden();
  await expect(storage.getByRole('button', { name: 'Rebuild index…' })).toBeFocused();

  await storage.getByRole('button', { name: 'Rebuild index…' }).click();
  await dialog.getByRole('button', { name: 'Rebuild index' }).click();
  await expect(storage.getByRole('status').last()).toHaveText(/Rebuilding the index/);
});
