/**
 * The walking skeleton end to end: Chromium opens the web host (token URL), browses into nested
 * folders, sorts, and scrolls the 100,000-entry folder with a bounded number of DOM rows. Orders
 * shown in the browser are checked against the built CLI reading the same index.
 */
import { expect, test, type Page } from '@playwright/test';
import { appUrl, cliNames, crumbs, screenshot, visibleNames } from './helpers';

const grid = (page: Page) => page.getByRole('grid');
const rows = (page: Page) => page.getByTestId('file-row');
const row = (page: Page, name: string) =>
  rows(page).filter({ has: page.getByTestId('file-name').getByText(name, { exact: true }) });

async function openDemo(page: Page): Promise<void> {
  await page.goto(appUrl());
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: 'Demo', exact: true })
    .click();
  await expect(grid(page)).toBeVisible();
}

async function open(page: Page, name: string): Promise<void> {
  await row(page, name).dblclick();
  await expect(crumbs(page).and(page.locator('[aria-current="page"]'))).toHaveText(name);
}

test('nothing of the app is served without the token', async ({ page }) => {
  const origin = new URL(appUrl()).origin;
  const answer = await page.goto(origin);
  expect(answer?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('Open the link printed by "skyfold serve"');
  await expect(page.getByRole('grid')).toHaveCount(0);
});

test('shows the account and its root: folders first, unusual names intact', async ({ page }) => {
  await openDemo(page);
  const names = await visibleNames(page, 17);
  expect(names.slice(0, 7)).toEqual([
    'Archive',
    'Big Folder',
    'Code',
    'Documents',
    'Empty Folder',
    'Music',
    'Photos',
  ]);
  expect(names).toEqual(cliNames('Demo:/'));
  expect(names).toContain('caf\u00e9 (NFC).txt');
  expect(names).toContain('cafe\u0301 (NFD).txt');
  expect(names).toContain('.hidden-settings');
  expect(names).toContain('with spaces in name.txt');
  await screenshot(page, 'home');
});

test('browses into nested folders and back up', async ({ page }) => {
  await openDemo(page);
  await open(page, 'Photos');
  await open(page, '2023');
  await open(page, 'Summer');
  await expect(crumbs(page)).toHaveText(['Demo', 'Photos', '2023', 'Summer']);
  await expect(grid(page)).toHaveAttribute('data-total', '400');
  await screenshot(page, 'nested-folder');

  await page.getByRole('button', { name: 'Go up' }).click();
  await expect(crumbs(page)).toHaveText(['Demo', 'Photos', '2023']);
  await expect.poll(() => visibleNames(page)).toEqual(['Summer', 'Winter']);
  await crumbs(page).filter({ hasText: 'Demo' }).click();
  await expect(crumbs(page)).toHaveText(['Demo']);

  await open(page, 'Empty Folder');
  await expect(page.getByTestId('empty-state')).toContainText('This folder is empty');
});

test('sorts by each column, matching the index', async ({ page }) => {
  await openDemo(page);
  await open(page, 'Documents');
  await open(page, 'Invoices');
  const header = (name: string) =>
    page.getByRole('columnheader').filter({ has: page.getByRole('button', { name, exact: true }) });
  await expect(header('Name')).toHaveAttribute('aria-sort', 'ascending');
  const firstRows = async () => (await visibleNames(page)).slice(0, 15);
  const expectFirstRows = async (...flags: string[]) =>
    expect.poll(firstRows).toEqual(cliNames('Demo:/Documents/Invoices', ...flags).slice(0, 15));
  await expectFirstRows();

  await header('Size').getByRole('button').click();
  await expect(header('Size')).toHaveAttribute('aria-sort', 'descending');
  await expect(header('Name')).toHaveAttribute('aria-sort', 'none');
  await expectFirstRows('--sort', 'size', '--reverse');
  await screenshot(page, 'sorted-by-size');

  await header('Modified').getByRole('button').click();
  await expect(header('Modified')).toHaveAttribute('aria-sort', 'descending');
  await expectFirstRows('--sort', 'modified', '--reverse');
  await header('Modified').getByRole('button').click();
  await expect(header('Modified')).toHaveAttribute('aria-sort', 'ascending');
  await expectFirstRows('--sort', 'modified');

  await header('Name').getByRole('button').click();
  await header('Name').getByRole('button').click();
  await expect(header('Name')).toHaveAttribute('aria-sort', 'descending');
  await expectFirstRows('--reverse');
});

test('scrolls the 100,000-entry folder with a bounded number of DOM rows', async ({ page }) => {
  await openDemo(page);
  await open(page, 'Big Folder');
  await expect(grid(page)).toHaveAttribute('data-total', '100000');
  await expect(row(page, 'entry-000000.txt')).toBeVisible();
  const maxRows = 100;
  expect(await rows(page).count()).toBeLessThan(maxRows);

  const scroller = page.locator('.grid-scroller');
  // Jump to the middle, then to the end, the way a dragged scrollbar does.
  for (const fraction of [0.5, 1]) {
    await scroller.evaluate((element, f) => {
      element.scrollTop = (element.scrollHeight - element.clientHeight) * f;
    }, fraction);
    const names = await visibleNames(page, 10);
    expect(await rows(page).count()).toBeLessThan(maxRows);
    const indexes = names.map((name) => Number(/entry-(\d+)\.txt/.exec(name)![1]));
    expect(indexes).toEqual(indexes.map((_, i) => indexes[0]! + i)); // contiguous, in order
    if (fraction === 0.5) expect(Math.abs(indexes[0]! - 50_000)).toBeLessThan(100);
  }
  await expect(row(page, 'entry-099999.txt')).toBeVisible();
  await screenshot(page, 'big-folder-end');

  // Wheel scrolling through a stretch keeps rows rendered and bounded.
  await scroller.evaluate((element) => (element.scrollTop = 0));
  await expect(row(page, 'entry-000000.txt')).toBeVisible();
  for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 1200);
  await visibleNames(page, 10);
  expect(await rows(page).count()).toBeLessThan(maxRows);
});

test('keyboard: arrows move, Enter opens, Backspace goes up', async ({ page }) => {
  await openDemo(page);
  await grid(page).focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 'Big Folder')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(crumbs(page)).toHaveText(['Demo', 'Code']);
  await page.keyboard.press('Backspace');
  await expect(crumbs(page)).toHaveText(['Demo']);
});

test('browses an emulated Google Drive account signed in through the CLI', async ({ page }) => {
  const user = process.env.SKYFOLD_E2E_DRIVE_USER!;
  await page.goto(appUrl());
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: user, exact: true })
    .click();
  await expect(grid(page)).toBeVisible();
  const rootNames = await visibleNames(page);
  expect(rootNames).toEqual(cliNames(`${user}:/`));
  expect(rootNames.length).toBeGreaterThan(2);
  const folderName = (await page
    .locator('[data-testid="file-row"][data-kind="folder"]')
    .first()
    .getByTestId('file-name')
    .textContent())!;
  await open(page, folderName);
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${user}:/${folderName}`));
  await screenshot(page, 'google-drive');
});
