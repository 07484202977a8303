/**
 * The explorer as a file manager: the merged view over every account, split view with keyboard copy
 * between panes, list columns (type, account; resizable, sortable) and the grid view with
 * thumbnails, multi-select (click, Shift, Ctrl, select all, invert, rubber band, type-to-select),
 * back/forward, and the file actions from toolbar, context menu and shortcuts (new folder, rename
 * inline, trash with undo). Orders and contents are checked against the built CLI reading the same
 * index. Names created here are unique to the run (every spec shares one data directory).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { appUrl, cliNames, dismissNotices, screenshot, visibleNames } from './helpers';

test.setTimeout(120_000);

const driveUser = () => process.env.SKYFOLD_E2E_DRIVE_USER!;
const grid = (page: Page) => page.locator('.pane.active').getByRole('grid');
const rows = (page: Page) => page.locator('.pane.active').getByTestId('file-row');
const row = (page: Page, name: string) =>
  rows(page).filter({ has: page.getByTestId('file-name').getByText(name, { exact: true }) });
const currentCrumb = (page: Page) => page.locator('.pane.active [aria-current="page"]').first();
const selectedCount = (page: Page) => page.locator('.pane.active').getByTestId('selected-count');
const toast = (page: Page) => page.getByTestId('toast');

async function openAccount(page: Page, name: string): Promise<void> {
  await page.goto(appUrl());
  await page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name, exact: true }).click();
  await expect(grid(page)).toBeVisible();
}

async function openRow(page: Page, name: string): Promise<void> {
  // On the name: a merged row's account badges open that account's folder instead.
  await row(page, name).getByTestId('file-name').dblclick();
  await expect(currentCrumb(page)).toHaveText(name);
}

/**
 * No serious or critical accessibility violations on the page as it is. `label-content-name-mismatch`
 * (an experimental axe rule) is off: it misreads the WAI-ARIA tree pattern, where a treeitem named by
 * its own label also contains its child group's items (the sidebar's folder tree).
 */
async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).disableRules(['label-content-name-mismatch']).analyze();
  const serious = results.violations.filter((violation) =>
    ['serious', 'critical'].includes(violation.impact ?? ''),
  );
  expect(
    serious.map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

test('the merged view shows same-path folders of several accounts as one, with account badges', async ({
  page,
}) => {
  await page.goto(`${appUrl()}#/merged/Photos`);
  await expect(grid(page)).toBeVisible();
  await dismissNotices(page);
  const names = await visibleNames(page, 4);
  // Demo has 2023 and 2024, the Drive 2024 and 2025: 2024 shows once; Drive's profile.png beside them.
  expect(names.filter((name) => name === '2024')).toHaveLength(1);
  expect(names).toEqual(expect.arrayContaining(['2023', '2024', '2025', 'profile.png']));
  // Every account with a /Photos/2024 has a badge on the one row (the clouds other specs added too).
  const badges = await row(page, '2024').getByTestId('account-badge').allTextContents();
  expect(badges).toEqual(expect.arrayContaining(['Demo', driveUser()]));
  await expect(row(page, '2023').getByTestId('account-badge')).toHaveText(['Demo']);
  const later = await row(page, '2025').getByTestId('account-badge').allTextContents();
  expect(later).toContain(driveUser());
  expect(later).not.toContain('Demo');
  await screenshot(page, 'merged-view');
  await expectAccessible(page);

  // Opening the merged folder lists every account's 2024 contents together.
  await openRow(page, '2024');
  const expectedTotal = badges.reduce((sum, account) => sum + cliNames(`${account}:/Photos/2024`).length, 0);
  await expect(grid(page)).toHaveAttribute('data-total', String(expectedTotal));
  // Sorted by account (names compared case-insensitively), the Drive's files come before Demo's.
  const accountHeader = page
    .getByRole('columnheader')
    .filter({ has: page.getByRole('button', { name: 'Account', exact: true }) });
  await accountHeader.getByRole('button').click();
  await expect(accountHeader).toHaveAttribute('aria-sort', 'ascending');
  // Same-named files of different accounts are side by side, never hidden: one beach.png per cloud.
  const beaches = row(page, 'beach.png');
  await expect(beaches).toHaveCount(badges.length - 1);
  const owners = await beaches.getByTestId('account-badge').allTextContents();
  expect(new Set(owners).size).toBe(badges.length - 1);

  // The per-account view is one click away: the badge opens the Drive's own folder.
  await page.getByRole('button', { name: 'Back' }).click();
  await row(page, '2024').getByTestId('account-badge').getByText(driveUser(), { exact: true }).click();
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${driveUser()}:/Photos/2024`));
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(row(page, '2023')).toBeVisible();
  await page.keyboard.press('Alt+ArrowRight');
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${driveUser()}:/Photos/2024`));
});

test('multi-select with click, Shift, Ctrl, select all, invert, rubber band and type-to-select', async ({
  page,
}) => {
  await openAccount(page, 'Demo');
  await openRow(page, 'Photos');
  await openRow(page, '2023');
  await openRow(page, 'Summer');
  const names = await visibleNames(page, 10);
  await row(page, names[0]!).click();
  await row(page, names[4]!).click({ modifiers: ['Shift'] });
  await expect(selectedCount(page)).toHaveText('5 selected');
  await row(page, names[6]!).click({ modifiers: ['ControlOrMeta'] });
  await expect(selectedCount(page)).toHaveText('6 selected');
  await row(page, names[2]!).click({ modifiers: ['ControlOrMeta'] });
  await expect(selectedCount(page)).toHaveText('5 selected');
  await expect(row(page, names[2]!)).toHaveAttribute('aria-selected', 'false');

  await page.keyboard.press('ControlOrMeta+a');
  await expect(selectedCount(page)).toHaveText('400 selected');
  await page.keyboard.press('ControlOrMeta+Shift+I');
  await expect(selectedCount(page)).toHaveCount(0);
  await row(page, names[1]!).click();
  await page.keyboard.press('ControlOrMeta+Shift+I');
  await expect(selectedCount(page)).toHaveText('399 selected');
  await page.keyboard.press('Escape');
  await expect(selectedCount(page)).toHaveCount(0);

  // Shift+arrows extend from the anchor.
  await row(page, names[3]!).click();
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(selectedCount(page)).toHaveText('3 selected');

  // Going up focuses the folder we came from; type-to-select then steps to the next name typed.
  await page.getByRole('button', { name: 'Go up' }).click();
  await page.getByRole('button', { name: 'Go up' }).click();
  await expect(currentCrumb(page)).toHaveText('Photos');
  await expect(row(page, '2023')).toHaveAttribute('aria-selected', 'true');
  await grid(page).focus();
  await page.keyboard.type('2');
  await expect(row(page, '2024')).toHaveAttribute('aria-selected', 'true');

  // Rubber band: a drag from the empty part of the listing selects the rows it crosses (Photos
  // has two: 2023 and 2024).
  const body = page.locator('.pane.active').getByTestId('grid-body');
  const rowsBox = (await body.boundingBox())!;
  const gridBox = (await grid(page).boundingBox())!;
  const below = rowsBox.y + rowsBox.height;
  expect(gridBox.y + gridBox.height).toBeGreaterThan(below + 20); // there is empty space below the rows
  await page.mouse.move(gridBox.x + gridBox.width - 60, below + 12);
  await page.mouse.down();
  await page.mouse.move(gridBox.x + gridBox.width - 80, below - 50, { steps: 5 });
  await expect(page.getByTestId('rubber-band')).toBeVisible();
  await page.mouse.up();
  await expect(page.getByTestId('rubber-band')).toHaveCount(0);
  await expect(selectedCount(page)).toHaveText('2 selected');
  await expect(row(page, '2023')).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, '2024')).toHaveAttribute('aria-selected', 'true');
});

test('new folder, inline rename and trash with undo, from shortcuts, toolbar and context menu', async ({
  page,
}) => {
  await openAccount(page, 'Demo');
  const name = `Scratch ${Date.now()}`;
  // New folder (Ctrl+Shift+N) asks for the name.
  await grid(page).focus();
  await page.keyboard.press('ControlOrMeta+Shift+N');
  const dialog = page.getByTestId('name-dialog');
  await dialog.getByRole('textbox').fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(row(page, name)).toBeVisible();
  await expect.poll(() => cliNames('Demo:/')).toContain(name);

  // F2 renames inline; Escape leaves it as it was, Enter renames.
  await row(page, name).click();
  await page.keyboard.press('F2');
  const field = page.getByTestId('rename-field');
  await expect(field).toBeFocused();
  await field.press('Escape');
  await expect(field).toHaveCount(0);
  await expect(grid(page)).toBeFocused();
  await page.keyboard.press('F2');
  await field.fill(`${name} renamed`);
  await field.press('Enter');
  await expect(row(page, `${name} renamed`)).toBeVisible();
  await expect.poll(() => cliNames('Demo:/')).toContain(`${name} renamed`);

  // The context menu lists the actions with their shortcuts; trash from it, Undo from the toast.
  await row(page, `${name} renamed`).click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu.getByRole('menuitem', { name: /Rename\s*F2/ })).toBeVisible();
  await screenshot(page, 'context-menu');
  await expectAccessible(page);
  await menu.getByRole('menuitem', { name: /Move to trash/ }).click();
  await expect(row(page, `${name} renamed`)).toHaveCount(0);
  await expect.poll(() => cliNames('Demo:/')).not.toContain(`${name} renamed`);
  await toast(page).filter({ hasText: 'to the trash' }).getByRole('button', { name: 'Undo' }).click();
  await expect(row(page, `${name} renamed`)).toBeVisible();
  await expect.poll(() => cliNames('Demo:/')).toContain(`${name} renamed`);

  // Delete and Ctrl+Z do the same from the keyboard; the toolbar's button too.
  await row(page, `${name} renamed`).click();
  await page.keyboard.press('Delete');
  await expect(row(page, `${name} renamed`)).toHaveCount(0);
  await page.keyboard.press('ControlOrMeta+z');
  await expect(row(page, `${name} renamed`)).toBeVisible();
  await row(page, `${name} renamed`).click();
  await page.locator('.pane.active').getByRole('button', { name: 'Move to trash' }).click();
  await expect.poll(() => cliNames('Demo:/')).not.toContain(`${name} renamed`);
});

test('upload from the toolbar, copy path, and open containing folder from the merged view', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openAccount(page, 'Demo');
  await openRow(page, 'Documents');
  const name = `uploaded-${Date.now()}.txt`;
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.locator('.pane.active').getByRole('button', { name: 'Upload files' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('sent from the toolbar\n') });
  await expect.poll(() => cliNames('Demo:/Documents'), { timeout: 60_000 }).toContain(name);
  await expect(row(page, name)).toBeVisible({ timeout: 30_000 });

  // Copy path puts `account:/path` on the clipboard.
  await row(page, name).click({ button: 'right' });
  await page
    .getByTestId('context-menu')
    .getByRole('menuitem', { name: /Copy path/ })
    .click();
  const clipboardText = () =>
    page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
  await expect.poll(clipboardText).toBe(`Demo:/Documents/${name}`);

  // From the merged view, "Open containing folder" opens the file's own account folder, the file focused.
  // (Every account's Documents are listed there: type-to-select brings the file into view.)
  await page.goto(`${appUrl()}#/merged/Documents`);
  await expect(grid(page)).toBeVisible();
  await grid(page).focus();
  await page.keyboard.type(name);
  await expect(row(page, name)).toHaveAttribute('aria-selected', 'true');
  await row(page, name).click({ button: 'right' });
  await page
    .getByTestId('context-menu')
    .getByRole('menuitem', { name: /Open containing folder/ })
    .click();
  await expect(page.locator('.pane.active').getByTestId('breadcrumbs').locator('.crumb-button')).toHaveText([
    'Demo',
    'Documents',
  ]);
  await expect(row(page, name)).toHaveAttribute('aria-selected', 'true');
});

test('list columns: type and account, sortable and resizable; the grid view shows thumbnails', async ({
  page,
}) => {
  await openAccount(page, driveUser());
  await dismissNotices(page);
  await openRow(page, 'Photos');
  await openRow(page, '2024');
  const header = (label: string) =>
    page.getByRole('columnheader').filter({ has: page.getByRole('button', { name: label, exact: true }) });
  await header('Type').getByRole('button').click();
  await expect(header('Type')).toHaveAttribute('aria-sort', 'ascending');
  const types = await page.locator('.pane.active .file-row .cell-type').allTextContents();
  expect(types).toEqual([...types].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));

  // A column's edge resizes it from the keyboard; the width is remembered.
  const resizer = page.getByRole('separator', { name: 'Resize the Size column' });
  const before = Number(await resizer.getAttribute('aria-valuenow'));
  await resizer.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(resizer).toHaveAttribute('aria-valuenow', String(before + 20));
  await page.reload();
  await expect(page.getByRole('separator', { name: 'Resize the Size column' })).toHaveAttribute(
    'aria-valuenow',
    String(before + 20),
  );

  // The grid view: tiles with the provider's thumbnails, loaded lazily.
  await page.locator('.pane.active').getByRole('button', { name: 'Grid view' }).click();
  await expect(grid(page)).toHaveAttribute('data-view', 'grid');
  const thumbnail = row(page, 'beach.png').getByTestId('thumbnail');
  await expect(thumbnail).toBeVisible();
  await expect
    .poll(() => thumbnail.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth))
    .toBeGreaterThan(0);
  await screenshot(page, 'grid-thumbnails');
  await expectAccessible(page);
  // Arrow keys walk the tiles.
  await row(page, 'beach.png').click();
  await page.keyboard.press('ArrowRight');
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.locator('.pane.active').getByRole('button', { name: 'List view' }).click();
  await expect(grid(page)).toHaveAttribute('data-view', 'list');
});

test('split view: two panes with their own places; F5 copies the selection into the other pane', async ({
  page,
}) => {
  await openAccount(page, 'Demo');
  await dismissNotices(page);
  await page.keyboard.press('F3');
  const left = page.getByRole('region', { name: 'Left pane' });
  const right = page.getByRole('region', { name: 'Right pane' });
  await expect(left).toBeVisible();
  await expect(right).toBeVisible();
  // The right pane starts at home; open the Drive there.
  await right
    .getByRole('button', { name: new RegExp(driveUser()) })
    .first()
    .click();
  await expect(right.getByRole('grid')).toBeVisible();
  await expect(right).toHaveAttribute('data-active', 'true');

  const name = 'with spaces in name.txt';
  await left.getByTestId('file-name').getByText(name, { exact: true }).click();
  await expect(left).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('F5');
  await expect(page.getByTestId('transfers-panel')).toBeVisible();
  await expect.poll(() => cliNames(`${driveUser()}:/`), { timeout: 60_000 }).toContain(name);
  await expect(right.getByTestId('file-name').getByText(name, { exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await screenshot(page, 'split-view');
  await expectAccessible(page);

  // Dragging a row from one pane onto the other pane's listing copies it there (across accounts).
  const dragged = 'file2.txt';
  await left
    .getByTestId('file-row')
    .filter({ hasText: dragged })
    .dragTo(right.getByTestId('folder-drop-area'));
  await expect.poll(() => cliNames(`${driveUser()}:/`), { timeout: 60_000 }).toContain(dragged);
  await expect(right.getByTestId('file-name').getByText(dragged, { exact: true })).toBeVisible({
    timeout: 30_000,
  });
});

test('light and dark screens pass the accessibility check', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${appUrl()}#/home`);
    await expect(page.getByRole('heading', { name: 'All clouds' })).toBeVisible();
    await dismissNotices(page);
    await screenshot(page, `home-${scheme}`);
    await expectAccessible(page);
    await page.goto(`${appUrl()}#/merged`);
    await expect(grid(page)).toBeVisible();
    await visibleNames(page, 3);
    await screenshot(page, `merged-${scheme}`);
    await expectAccessible(page);
  }
});
