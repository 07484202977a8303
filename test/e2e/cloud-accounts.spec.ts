/**
 * Adding the Dropbox and the OneDrive account from the UI and browsing them next to the Google Drive
 * account (signed in by global-setup), the way a person does: Add account -> the cloud -> its sign-in
 * page (the emulator's consent page) in a new tab -> pick the account -> Allow. Dropbox only accepts
 * its registered redirect URI, so the engine listens on the fixed loopback port (27563) for its
 * answer; Microsoft accepts any loopback port. Serial: the OneDrive test browses all three clouds, the
 * Dropbox one included.
 */
import { expect, test, type Page } from '@playwright/test';
import { addCloudAccount, cliNames, screenshot, visibleNames } from './helpers';

test.describe.configure({ mode: 'serial' });

const driveUser = () => process.env.SKYFOLD_E2E_DRIVE_USER!;
const accountsNav = (page: Page) => page.getByRole('navigation', { name: 'Accounts' });
const accountButton = (page: Page, name: string) =>
  accountsNav(page).getByRole('button', { name, exact: true });

/** Opens an account from the sidebar and checks that its root lists what the index holds. */
async function browseRoot(page: Page, name: string): Promise<void> {
  const button = accountButton(page, name);
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('grid')).toBeVisible();
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${name}:/`));
}

test('adds a Dropbox account through the consent page and browses it next to Google Drive', async ({
  page,
}) => {
  const dropboxUser = process.env.SKYFOLD_E2E_DROPBOX_USER!;
  const dialog = await addCloudAccount(page, {
    choice: 'Dropbox',
    signInLink: 'Open the Dropbox sign-in page',
    user: dropboxUser,
  });

  // The same person's Drive already has the e-mail as its name: the Dropbox one says which cloud it is.
  expect(dropboxUser).toBe(driveUser());
  const dropboxName = `${dropboxUser} (Dropbox)`;
  await expect(accountButton(page, dropboxName)).toBeVisible();
  await expect(accountButton(page, driveUser())).toBeVisible();
  await expect(dialog).toHaveCount(0);

  expect(cliNames(`${dropboxName}:/`)).not.toEqual(cliNames(`${driveUser()}:/`));
  await browseRoot(page, dropboxName);
  await expect(
    accountsNav(page)
      .getByLabel(/storage/i)
      .first(),
  ).toBeVisible();
  await screenshot(page, 'dropbox-next-to-drive');

  // Into a folder of the Dropbox account and back to Drive: both browse from the one index.
  const firstFolder = page.locator('[data-testid="file-row"][data-kind="folder"]').first();
  const folderName = (await firstFolder.getByTestId('file-name').textContent())!;
  await firstFolder.dblclick();
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${dropboxName}:/${folderName}`));
  await browseRoot(page, driveUser());
});

test('adds a OneDrive account and browses all three clouds side by side', async ({ page }) => {
  const onedriveUser = process.env.SKYFOLD_E2E_ONEDRIVE_USER!;
  const dialog = await addCloudAccount(page, {
    choice: 'OneDrive',
    signInLink: 'Open the Microsoft sign-in page',
    user: onedriveUser,
  });
  expect(onedriveUser).toBe(driveUser());
  const onedriveName = `${onedriveUser} (OneDrive)`;
  const dropboxName = `${process.env.SKYFOLD_E2E_DROPBOX_USER!} (Dropbox)`;
  await expect(accountButton(page, onedriveName)).toBeVisible();
  await expect(dialog).toHaveCount(0);

  // Three clouds of one person in the sidebar, each with its own provider and its own files.
  for (const name of [driveUser(), dropboxName, onedriveName])
    await expect(accountButton(page, name)).toBeVisible();
  const roots = [driveUser(), dropboxName, onedriveName].map((name) => cliNames(`${name}:/`));
  expect(new Set(roots.map((names) => names.join('\n'))).size).toBe(3);

  await browseRoot(page, onedriveName);
  await screenshot(page, 'three-clouds');
  // OneDrive names are case-insensitive: a folder opens by its path in any case, from the index.
  const firstFolder = page.locator('[data-testid="file-row"][data-kind="folder"]').first();
  const folderName = (await firstFolder.getByTestId('file-name').textContent())!;
  await firstFolder.dblclick();
  const inFolder = cliNames(`${onedriveName}:/${folderName}`);
  await expect.poll(() => visibleNames(page)).toEqual(inFolder);
  expect(cliNames(`${onedriveName}:/${folderName.toUpperCase()}`)).toEqual(inFolder);

  await browseRoot(page, dropboxName);
  await browseRoot(page, driveUser());
  await browseRoot(page, onedriveName);
});
