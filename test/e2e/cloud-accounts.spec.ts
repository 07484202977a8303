/**
 * Adding a Dropbox account from the UI and browsing it next to the Google Drive account, the way a
 * person does: Add account -> Dropbox -> the sign-in page (the emulated Dropbox's consent page) in a
 * new tab -> pick the account -> Allow. Dropbox only accepts its registered redirect URI, so the
 * engine listens on the fixed loopback port (27563) for the answer.
 */
import { expect, test } from '@playwright/test';
import { addCloudAccount, cliNames, screenshot, visibleNames } from './helpers';

test('adds a Dropbox account through the consent page and browses it next to Google Drive', async ({
  page,
}) => {
  const dropboxUser = process.env.SKYFOLD_E2E_DROPBOX_USER!;
  const driveUser = process.env.SKYFOLD_E2E_DRIVE_USER!;
  const dialog = await addCloudAccount(page, {
    choice: 'Dropbox',
    signInLink: 'Open the Dropbox sign-in page',
    user: dropboxUser,
  });

  // The same person's Drive already has the e-mail as its name: the Dropbox one says which cloud it is.
  expect(dropboxUser).toBe(driveUser);
  const dropboxName = `${dropboxUser} (Dropbox)`;
  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  const dropbox = accounts.getByRole('button', { name: dropboxName, exact: true });
  const drive = accounts.getByRole('button', { name: driveUser, exact: true });
  await expect(dropbox).toBeVisible();
  await expect(drive).toBeVisible();
  await expect(dialog).toHaveCount(0);

  await dropbox.click();
  await expect(dropbox).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('grid')).toBeVisible();
  const dropboxRoot = cliNames(`${dropboxName}:/`);
  expect(dropboxRoot).not.toEqual(cliNames(`${driveUser}:/`));
  await expect.poll(() => visibleNames(page)).toEqual(dropboxRoot);
  await expect(accounts.getByLabel(/storage/i).first()).toBeVisible();
  await screenshot(page, 'dropbox-next-to-drive');

  // Into a folder of the Dropbox account and back to Drive: both browse from the one index.
  const firstFolder = page.locator('[data-testid="file-row"][data-kind="folder"]').first();
  const folderName = (await firstFolder.getByTestId('file-name').textContent())!;
  await firstFolder.dblclick();
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${dropboxName}:/${folderName}`));
  await drive.click();
  await expect(drive).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${driveUser}:/`));
});
