/**
 * DRAFT (to be finished once HomeView, FolderTree and Breadcrumbs are wired into the explorer):
 * the "All clouds" home lists every account with its storage meter, the sidebar's folder tree lists
 * folders only when expanded and navigates, and a breadcrumb's dropdown leads to a sibling folder.
 *
 * Seeded data (global-setup.ts): the local account "Demo" (demo files: Archive, Big Folder, Code,
 * Documents, Empty Folder, Music, Photos; Photos/2023/{Summer,Winter}, Photos/2024) and the Drive
 * account of SKYFOLD_E2E_DRIVE_USER (emulator seed "demo": Documents, Photos/{2024,2025}, ...).
 * Assumptions to check on integration: the home is at `#/home`, the explorer's grid shows a
 * folder's rows, and the Drive account is named by its e-mail.
 */
import { expect, test, type Page } from '@playwright/test';
import { appUrl, cliNames, screenshot, visibleNames } from './helpers';

const driveUser = () => process.env.SKYFOLD_E2E_DRIVE_USER!;
const tree = (page: Page) => page.getByRole('tree', { name: 'Folders' });
const treeItem = (page: Page, name: string) => tree(page).getByRole('treeitem', { name, exact: true });
const trail = (page: Page) => page.getByRole('navigation', { name: 'Breadcrumb' });

async function openHome(page: Page): Promise<void> {
  await page.goto(`${appUrl()}#/home`);
  await expect(page.getByRole('heading', { name: 'All clouds', level: 1 })).toBeVisible();
}

test('the home shows every account with its provider, storage and sync state', async ({ page }) => {
  await openHome(page);
  const cards = page.getByTestId('home-account');
  // One card per account (the clouds other specs added included).
  const accounts = await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByTestId('account-row')
    .count();
  expect(accounts).toBeGreaterThanOrEqual(2);
  await expect(cards).toHaveCount(accounts);
  await expect(page.getByRole('button', { name: 'All clouds (merged)' })).toBeVisible();

  const drive = cards.filter({ has: page.getByRole('button', { name: driveUser(), exact: true }) });
  await expect(drive).toContainText('Google Drive');
  const meter = drive.getByRole('meter');
  await expect(meter).toHaveAttribute('aria-valuemin', '0');
  await expect(meter).toHaveAttribute('aria-valuemax', '100');
  await expect(meter).toHaveAttribute('aria-valuenow', /^\d+(\.\d)?$/);
  await expect(drive.getByTestId('home-quota')).toHaveText(/ of .* used$/);
  await expect(drive.getByTestId('home-sync')).toHaveText(/Up to date|Indexing/);

  const demo = cards.filter({ has: page.getByRole('button', { name: 'Demo', exact: true }) });
  await expect(demo).toContainText('Local folder');
  await screenshot(page, 'home-all-clouds');

  // A card opens its account's root.
  await page.getByRole('main').getByRole('button', { name: 'Demo', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(trail(page).getByRole('button', { name: 'Demo', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect.poll(() => visibleNames(page)).toEqual(cliNames('Demo:/'));
});

test('the folder tree lists a folder’s folders once expanded, and navigates', async ({ page }) => {
  await openHome(page);
  const demo = treeItem(page, 'Demo');
  await expect(demo).toHaveAttribute('aria-expanded', 'false');
  await expect(treeItem(page, 'Photos')).toHaveCount(0); // nothing listed before expanding

  await demo.focus();
  await page.keyboard.press('ArrowRight');
  await expect(demo).toHaveAttribute('aria-expanded', 'true');
  const level2 = demo.getByRole('group').getByRole('treeitem');
  await expect(level2.first()).toBeVisible();
  // Folders only, in the index's order (the root's first rows are its folders; folders other specs
  // made sort after these).
  const folders = cliNames('Demo:/').slice(0, 7);
  await expect.poll(async () => (await level2.allTextContents()).slice(0, 7)).toEqual(folders);

  // Keyboard: into the first child, type-ahead to Photos, expand it, Enter opens it.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('p');
  await expect(treeItem(page, 'Photos')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(treeItem(page, '2023')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(trail(page).getByRole('button', { name: 'Photos', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(treeItem(page, 'Photos')).toHaveAttribute('aria-selected', 'true');

  // A click opens a folder; the grid shows it.
  await treeItem(page, '2023').click();
  await expect.poll(() => visibleNames(page)).toEqual(['Summer', 'Winter']);
  await expect(treeItem(page, '2023')).toHaveAttribute('aria-selected', 'true');

  // Left goes to the parent, then collapses it.
  await page.keyboard.press('ArrowLeft');
  await expect(treeItem(page, 'Photos')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(treeItem(page, 'Photos')).toHaveAttribute('aria-expanded', 'false');
  await screenshot(page, 'folder-tree');
});

test('the tree’s "All clouds" lists merged folders once and opens the merged view', async ({ page }) => {
  await openHome(page);
  const all = treeItem(page, 'All clouds');
  await all.focus();
  await page.keyboard.press('ArrowRight');
  // Both accounts have Documents and Photos: one node each.
  await expect(all.getByRole('group').getByRole('treeitem', { name: 'Photos', exact: true })).toHaveCount(1);
  await all.getByRole('group').getByRole('treeitem', { name: 'Photos', exact: true }).click();
  await expect(trail(page).getByRole('button')).toContainText(['All clouds', 'Photos']);
});

test('a breadcrumb’s dropdown lists the folders inside it and leads to a sibling', async ({ page }) => {
  await openHome(page);
  await page.getByRole('main').getByRole('button', { name: 'Demo', exact: true }).click();
  await treeItem(page, 'Demo').focus();
  await page.keyboard.press('ArrowRight');
  await treeItem(page, 'Photos').click();
  await expect(trail(page).getByRole('button', { name: 'Photos', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );

  const chevron = trail(page).getByRole('button', { name: 'Folders in Demo' });
  await expect(chevron).toHaveAttribute('aria-haspopup', 'menu');
  await chevron.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'Folders in Demo' });
  await expect(chevron).toHaveAttribute('aria-expanded', 'true');
  // The folder on the path is marked and has focus first.
  const onPath = menu.getByRole('menuitem', { name: 'Photos', exact: true });
  await expect(onPath).toHaveAttribute('aria-current', 'true');
  await expect(onPath).toBeFocused();
  // Demo's folders in the index's order (folders other specs made sort after these).
  await expect
    .poll(async () =>
      // The folder on the path carries a check mark before its name.
      (await menu.getByRole('menuitem').allTextContents()).slice(0, 7).map((text) => text.replace(/^✓/, '')),
    )
    .toEqual(cliNames('Demo:/').slice(0, 7));
  await screenshot(page, 'breadcrumb-menu');

  // Escape gives focus back to the chevron.
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(chevron).toBeFocused();

  // A click outside closes it; choosing a sibling opens it.
  await chevron.click();
  await expect(menu).toBeVisible();
  await page.getByRole('grid').click({ position: { x: 5, y: 5 } });
  await expect(menu).toHaveCount(0);
  await chevron.click();
  await menu.getByRole('menuitem', { name: 'Music', exact: true }).click();
  await expect(trail(page).getByRole('button', { name: 'Music', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  // The rows in view are the folder's first ones, as the index orders them.
  const names = await visibleNames(page, 5);
  expect(names).toEqual(cliNames('Demo:/Music').slice(0, names.length));
});
