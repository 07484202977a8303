/**
 * A cloud that cannot be reached, for real: the Google Drive emulator (global-setup signs its first
 * user in) is made to reset every connection through its HTTP admin (`POST /__admin/faults`), the
 * account is refreshed from the toolbar, and the engine, once its provider's retries are spent, says
 * the account is offline. Browsing and search keep coming from the index, search hits from Drive are
 * marked offline, and once the faults are gone a refresh brings the account back to "Up to date".
 *
 * Not run alongside the other specs: playwright.config has `workers: 1` and `fullyParallel: false`, so
 * spec files run one after another in one worker and no other spec talks to the Drive emulator while
 * its connections are being reset (cloud-accounts.spec.ts browses Drive too). The faults are cleared
 * in afterEach, which runs even when the test fails or times out, and a failed test tries to bring the
 * account back to "Up to date" so the specs after this one meet a reachable Drive.
 */
import { expect, test, type Page } from '@playwright/test';
import { appUrl, cliNames, cliSearch, screenshot, visibleNames } from './helpers';

/** `Up to date`, maybe with when: `Up to date · just now`, `Up to date · 2 min ago`. */
const upToDate = /^Up to date( · .+)?$/;
/** When the index was last brought up to date: `just now`, `3 min ago`, `2 h ago`. */
const offlineLine = /^Offline · showing the index from (just now|\d+ min ago|\d+ h ago)$/;

/**
 * The provider retries a failing request 6 times with growing pauses (up to ~16 s in all) before
 * the account's state says offline; the way back is one sync run.
 */
const untilSettled = { timeout: 45_000 };
/** A spec run alone meets the engine's startup crawl of the 100,000-entry demo folder first. */
const afterStartupCrawl = { timeout: 90_000 };
test.setTimeout(240_000);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const driveUser = () => process.env.SKYFOLD_E2E_DRIVE_USER!;
const faultsUrl = () => `${process.env.SKYFOLD_E2E_GDRIVE_URL!}/__admin/faults`;

interface FaultRuleState {
  matched: number;
  fired: number;
}

/** Replaces the Drive emulator's fault rules (admin endpoints themselves are never faulted). */
async function setDriveFaults(spec: string): Promise<void> {
  const response = await fetch(faultsUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ spec }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function clearDriveFaults(): Promise<void> {
  const response = await fetch(faultsUrl(), { method: 'DELETE' });
  expect(response.status, await response.clone().text()).toBe(200);
  const { rules } = (await (await fetch(faultsUrl())).json()) as { rules: FaultRuleState[] };
  expect(rules).toEqual([]);
}

/** How many requests the Drive emulator's fault rules failed so far. */
async function driveFaultsFired(): Promise<number> {
  const { rules } = (await (await fetch(faultsUrl())).json()) as { rules: FaultRuleState[] };
  return rules.reduce((sum, rule) => sum + rule.fired, 0);
}

const accountsNav = (page: Page) => page.getByRole('navigation', { name: 'Accounts' });
const accountButton = (page: Page, name: string) =>
  accountsNav(page).getByRole('button', { name, exact: true });
const accountStatus = (page: Page, name: string) =>
  accountsNav(page)
    .getByTestId('account-row')
    .filter({ has: page.getByRole('button', { name, exact: true }) })
    .getByTestId('account-status');
const refreshButton = (page: Page) => page.getByRole('button', { name: 'Refresh', exact: true });
const searchBox = (page: Page) => page.getByRole('searchbox', { name: 'Search all accounts' });

/** Opens the Drive account and asks the engine to sync it now, the way a person does. */
async function refreshDrive(page: Page): Promise<void> {
  const drive = accountButton(page, driveUser());
  await drive.click();
  await expect(drive).toHaveAttribute('aria-current', 'true');
  // Disabled while a refresh is under way (the previous one ends when its run ends).
  await expect(refreshButton(page)).toBeEnabled(untilSettled);
  await refreshButton(page).click();
}

test.afterEach(async ({ page }, testInfo) => {
  await clearDriveFaults();
  if (testInfo.status === testInfo.expectedStatus) return;
  // Best effort, for the specs after this one: Drive reachable again and its account up to date.
  try {
    await page.goto(appUrl());
    await refreshDrive(page);
    await expect(accountStatus(page, driveUser())).toHaveText(upToDate, untilSettled);
  } catch (error) {
    console.warn(`offline.spec: could not bring ${driveUser()} back to "Up to date": ${String(error)}`);
  }
});

test('with Google Drive unreachable, the account says offline and the index still serves browsing and search', async ({
  page,
}) => {
  const drive = driveUser();
  await page.goto(appUrl());
  await expect(accountStatus(page, drive)).toHaveText(upToDate, afterStartupCrawl);
  await expect(accountButton(page, drive)).toHaveAttribute('data-sync', 'idle');

  // Every connection to the Drive emulator (API, uploads, sign-in) is reset: unreachable, as far as
  // the app can tell.
  await setDriveFaults('reset *');
  const started = Date.now();
  await refreshDrive(page);
  await expect(accountButton(page, drive)).toHaveAttribute('data-sync', 'offline', untilSettled);
  test.info().annotations.push({
    type: 'offline after',
    description: `${((Date.now() - started) / 1000).toFixed(1)} s`,
  });
  expect(await driveFaultsFired(), 'the engine asked the emulator and was refused').toBeGreaterThan(0);

  // The sidebar and the status bar say so, in words; the why is in the tooltip.
  await expect(accountStatus(page, drive)).toHaveText(offlineLine);
  await expect(accountStatus(page, drive)).toHaveAttribute('data-sync', 'offline');
  await expect(accountStatus(page, drive)).toHaveAttribute('title', /items? in the index · .*Google Drive/);
  test.info().annotations.push({
    type: 'offline tooltip',
    description: (await accountStatus(page, drive).getAttribute('title')) ?? '',
  });
  await expect(accountButton(page, drive)).toHaveAccessibleDescription(offlineLine);
  await expect(page.getByTestId('sync-status')).toHaveText(offlineLine);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-sync', 'offline');
  // The other accounts are not affected.
  await expect(accountStatus(page, 'Demo')).toHaveText(upToDate);

  // Browsing comes from the index: the root and a folder list what the index holds.
  await expect(page.getByRole('grid', { name: `Files in ${drive}` })).toBeVisible();
  const root = cliNames(`${drive}:/`);
  expect(root).toContain('Documents');
  await expect.poll(() => visibleNames(page)).toEqual(root);
  await page
    .locator('[data-testid="file-row"][data-kind="folder"]')
    .filter({ has: page.getByTestId('file-name').getByText('Documents', { exact: true }) })
    .dblclick();
  await expect(page.getByRole('grid', { name: 'Files in Documents' })).toBeVisible();
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${drive}:/Documents`));
  await expect(page.getByTestId('sync-status')).toHaveText(offlineLine);

  // So does search: the same results as the CLI's, Drive's marked offline, the demo folder's not.
  const expected = cliSearch('report', '--limit', '1000');
  expect(expected.some((hit) => hit.account === drive)).toBe(true);
  expect(expected.some((hit) => hit.account === 'Demo')).toBe(true);
  await searchBox(page).fill('report');
  await expect(page.getByTestId('search-count')).toHaveText(
    `${expected.length.toLocaleString('en-US')} result${expected.length === 1 ? '' : 's'}`,
  );
  const rows = page.getByTestId('file-row').filter({ has: page.getByTestId('result-folder') });
  const fromDrive = rows.filter({ has: page.getByTestId('result-folder').getByText(`${drive}:`) });
  const fromDemo = rows.filter({ has: page.getByTestId('result-folder').getByText('Demo:') });
  await expect(fromDrive.first()).toBeVisible();
  await expect(fromDemo.first()).toBeVisible();
  for (const row of await fromDrive.all()) {
    await expect(row.getByTestId('offline-marker')).toHaveText('offline');
  }
  await expect(fromDrive.first().getByTestId('offline-marker')).toHaveAttribute(
    'title',
    new RegExp(
      `^${escapeRegExp(drive)} is offline: this result comes from its index( from .+)? and may be out of date\\.$`,
    ),
  );
  await expect(fromDemo.getByTestId('offline-marker')).toHaveCount(0);
  await screenshot(page, 'offline');

  // Reachable again: one refresh and the account is up to date, its search hits no longer marked.
  await clearDriveFaults();
  await searchBox(page).press('Escape');
  await refreshDrive(page);
  await expect(accountStatus(page, drive)).toHaveText(upToDate, untilSettled);
  await expect(accountButton(page, drive)).toHaveAttribute('data-sync', 'idle');
  await expect(page.getByTestId('sync-status')).toHaveText(upToDate);
  await searchBox(page).fill('report');
  await expect(fromDrive.first()).toBeVisible();
  await expect(page.getByTestId('offline-marker')).toHaveCount(0);
});
