/**
 * Adding a Dropbox account from the UI and browsing it next to the Google Drive account, the way a
 * person does: Add account -> Dropbox -> the sign-in page (the emulated Dropbox's consent page) in a
 * new tab -> pick the account -> Allow. Dropbox only accepts its registered redirect URI, so the
 * engine listens on the fixed loopback port (27563) for the answer.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';

const url = () => process.env.SKYFOLD_E2E_URL!;

function cliNames(target: string): string[] {
  const result = spawnSync(
    process.execPath,
    ['bin/skyfold.mjs', '--data-dir', process.env.SKYFOLD_E2E_DATA!, 'ls', target, '--json'],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { name: string }).name);
}

/** The names the file list shows once every row is loaded. */
async function shownNames(page: Page): Promise<string[]> {
  await expect(page.locator('[data-testid="file-row"][data-placeholder="true"]')).toHaveCount(0);
  return page.getByTestId('file-name').allTextContents();
}

test('adds a Dropbox account through the consent page and browses it next to Google Drive', async ({
  page,
  context,
}) => {
  const dropboxUser = process.env.SKYFOLD_E2E_DROPBOX_USER!;
  const driveUser = process.env.SKYFOLD_E2E_DRIVE_USER!;
  await page.goto(url());
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByRole('button', { name: 'Dropbox' }).click();

  const signInLink = dialog.getByRole('link', { name: 'Open the Dropbox sign-in page' });
  const [consentPage] = await Promise.all([context.waitForEvent('page'), signInLink.click()]);
  await consentPage.locator(`input[name="user"][value="${dropboxUser}"]`).check();
  await consentPage.getByRole('button', { name: 'Allow' }).click();
  await expect(consentPage.locator('body')).toContainText(/close this window/i);
  await consentPage.close();

  // The same person's Drive already has the e-mail as its name: the Dropbox one says which cloud it is.
  const dropboxName = dropboxUser === driveUser ? `${dropboxUser} (Dropbox)` : dropboxUser;
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
  await expect.poll(() => shownNames(page)).toEqual(dropboxRoot);
  await expect(accounts.getByLabel(/storage/i).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/dropbox-next-to-drive.png' });

  // Into a folder of the Dropbox account and back to Drive: both browse from the one index.
  const firstFolder = page.locator('[data-testid="file-row"][data-kind="folder"]').first();
  const folderName = (await firstFolder.getByTestId('file-name').textContent())!;
  await firstFolder.dblclick();
  await expect.poll(() => shownNames(page)).toEqual(cliNames(`${dropboxName}:/${folderName}`));
  await drive.click();
  await expect(drive).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => shownNames(page)).toEqual(cliNames(`${driveUser}:/`));
});
