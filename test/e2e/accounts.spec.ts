/**
 * Adding a Google Drive account from the UI, the way a person does: Add account -> Google Drive ->
 * the sign-in page (the emulator's consent page) in a new tab -> pick the account -> Allow. The
 * account appears with its quota, browses, and is removed after a confirmation.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';

const url = () => process.env.SKYFOLD_E2E_URL!;

function cliNames(target: string): string[] {
  const result = spawnSync(
    process.execPath,
    ['bin/skyfold.mjs', '--data-dir', process.env.SKYFOLD_E2E_DATA!, 'ls', target, '--json'],
    { encoding: 'utf8', env: { ...process.env, SKYFOLD_GDRIVE_CLIENT_ID: 'unused' } },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { name: string }).name);
}

test('adds a Google Drive account through the consent page, browses it, and removes it', async ({
  page,
  context,
}) => {
  const user = process.env.SKYFOLD_E2E_DRIVE_FREE_USER!;
  await page.goto(url());
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByRole('button', { name: 'Google Drive' }).click();

  const signInLink = dialog.getByRole('link', { name: 'Open the Google sign-in page' });
  const [consentPage] = await Promise.all([context.waitForEvent('page'), signInLink.click()]);
  await consentPage.locator(`input[name="user"][value="${user}"]`).check();
  await consentPage.screenshot({ path: 'test-results/screenshots/consent-page.png' });
  await consentPage.getByRole('button', { name: 'Allow' }).click();
  await expect(consentPage.locator('body')).toContainText(/close this window/i);
  await consentPage.close();

  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  const account = accounts.getByRole('button', { name: user, exact: true });
  await expect(account).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await account.click();
  await expect(page.getByRole('grid')).toBeVisible();
  await expect
    .poll(async () => {
      await expect(page.locator('[data-testid="file-row"][data-placeholder="true"]')).toHaveCount(0);
      return page.getByTestId('file-name').allTextContents();
    })
    .toEqual(cliNames(`${user}:/`));
  await expect(accounts.getByLabel(/storage/i).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/drive-account-added.png' });

  await page.getByRole('button', { name: `Remove ${user}` }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText(/not touched|never touch|are not/i);
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(account).toHaveCount(0);
});
