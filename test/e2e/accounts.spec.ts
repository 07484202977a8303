/**
 * Adding a Google Drive account from the UI, the way a person does: Add account -> Google Drive ->
 * the sign-in page (the emulator's consent page) in a new tab -> pick the account -> Allow. The
 * account appears with its quota, browses, and is removed after a confirmation.
 */
import { expect, test } from '@playwright/test';
import { addCloudAccount, cliNames, screenshot, visibleNames } from './helpers';

test('adds a Google Drive account through the consent page, browses it, and removes it', async ({ page }) => {
  const user = process.env.SKYFOLD_E2E_DRIVE_FREE_USER!;
  const dialog = await addCloudAccount(page, {
    choice: 'Google Drive',
    signInLink: 'Open the Google sign-in page',
    user,
    beforeAllow: (consentPage) => screenshot(consentPage, 'consent-page'),
  });

  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  const account = accounts.getByRole('button', { name: user, exact: true });
  await expect(account).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await account.click();
  await expect(page.getByRole('grid')).toBeVisible();
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${user}:/`));
  await expect(accounts.getByLabel(/storage/i).first()).toBeVisible();
  await screenshot(page, 'drive-account-added');

  await page.getByRole('button', { name: `Remove ${user}` }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText(/not touched|never touch|are not/i);
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(account).toHaveCount(0);
});
