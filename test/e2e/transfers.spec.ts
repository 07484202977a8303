/**
 * Transfers from the UI, the way a person does them: a file and a folder of the Google Drive account
 * (signed in by global-setup) dragged onto the Dropbox account in the sidebar, copied through the
 * engine and watched to the end in the transfers panel; a file dragged onto a folder row of the same
 * account (a move); and files dropped from the desktop (a synthetic drop carrying a File, as the
 * browser gives it) uploaded through the web host and copied into the folder. The Dropbox account is
 * added here when cloud-accounts.spec.ts has not added it (this spec run alone). Names are unique to
 * the run: every spec shares one data directory and the emulators.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addCloudAccount, appUrl, cliDiskUsage, cliNames, screenshot, visibleNames } from './helpers';

/** A spec run alone meets the engine's startup crawl of the 100,000-entry demo folder first. */
test.setTimeout(180_000);
const untilDone = { timeout: 60_000 };

const driveUser = () => process.env.SKYFOLD_E2E_DRIVE_USER!;
const dropboxName = () => `${process.env.SKYFOLD_E2E_DROPBOX_USER!} (Dropbox)`;
const accountsNav = (page: Page) => page.getByRole('navigation', { name: 'Accounts' });
const accountButton = (page: Page, name: string) =>
  accountsNav(page).getByRole('button', { name, exact: true });
const accountRow = (page: Page, name: string) =>
  accountsNav(page)
    .getByTestId('account-row')
    .filter({ has: page.getByRole('button', { name, exact: true }) });
const panel = (page: Page) => page.getByTestId('transfers-panel');
const row = (page: Page, name: string) =>
  page
    .getByTestId('file-row')
    .filter({ has: page.getByTestId('file-name').getByText(name, { exact: true }) });

/** Opens the Dropbox account's page, adding the account first when no spec before this one did. */
async function withDropbox(page: Page): Promise<void> {
  await page.goto(appUrl());
  await expect(accountButton(page, driveUser())).toBeVisible();
  if ((await accountButton(page, dropboxName()).count()) === 0) {
    await addCloudAccount(page, {
      choice: 'Dropbox',
      signInLink: 'Open the Dropbox sign-in page',
      user: process.env.SKYFOLD_E2E_DROPBOX_USER!,
    });
  }
  await expect(accountButton(page, dropboxName())).toBeVisible();
  // Its first crawl done: the index holds its files.
  await expect(accountRow(page, dropboxName()).getByTestId('account-status')).toHaveText(/^Up to date/, {
    timeout: 60_000,
  });
  await expect.poll(() => cliNames(`${dropboxName()}:/`).length, { timeout: 60_000 }).toBeGreaterThan(0);
}

async function openAccount(page: Page, name: string): Promise<void> {
  const button = accountButton(page, name);
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('grid')).toBeVisible();
  await expect.poll(() => visibleNames(page)).toEqual(cliNames(`${name}:/`));
}

/** The panel's card of the batch whose title matches, once it is there. */
function batchCard(page: Page, title: RegExp): Locator {
  return panel(page)
    .getByTestId('transfer-batch')
    .filter({ has: page.getByRole('heading', { name: title }) });
}

/** Waits for a batch to end well: state Done, its progress bar at 100 (an error toast fails at once). */
async function expectDone(card: Locator): Promise<void> {
  const page = card.page();
  const errors = page.locator('[data-testid="toast"][data-tone="error"]');
  await expect
    .poll(
      async () => ((await errors.count()) > 0 ? await errors.allTextContents() : await card.count()),
      untilDone,
    )
    .toBe(1);
  await expect(card).toHaveAttribute('data-phase', 'done', untilDone);
  await expect(card.getByTestId('batch-state')).toHaveText('Done');
  await expect(card.getByRole('progressbar').first()).toHaveAttribute('aria-valuenow', '100');
}

test('drags a Drive file and a Drive folder onto the Dropbox account and copies them', async ({ page }) => {
  await withDropbox(page);
  const atDropbox = new Set(cliNames(`${dropboxName()}:/`));
  await openAccount(page, driveUser());

  // A file whose name Dropbox's root does not have yet (no question about names taken).
  const files = page.locator('[data-testid="file-row"][data-kind="file"]:not([data-shortcut])');
  const fileNames = await files.getByTestId('file-name').allTextContents();
  const fileName = fileNames.find((name) => !atDropbox.has(name));
  expect(fileName, 'a Drive file that Dropbox lacks').toBeDefined();

  // The sidebar's account highlights under the pointer while the drag is over it.
  const target = accountRow(page, dropboxName());
  await row(page, fileName!).dragTo(accountButton(page, dropboxName()));

  // The panel opens on its own and shows the batch to its end.
  await expect(panel(page)).toBeVisible();
  const fileCard = batchCard(page, new RegExp(`“${escapeRegExp(fileName!)}” to `));
  await expectDone(fileCard);
  await expect(fileCard.getByRole('heading')).toHaveText(`Copied “${fileName}” to ${dropboxName()}`);
  await expect(fileCard).toContainText('1 of 1 done');
  await expect(
    page.getByTestId('toast').filter({ hasText: `Copied 1 file to ${dropboxName()}` }),
  ).toBeVisible();
  await expect(target).not.toHaveAttribute('data-drop-target');

  // The Drive folder (not a shortcut to one) with the fewest files. Dropbox has one of that name: the
  // two merge, and the files whose names are taken there wait for a decision: Rename keeps both.
  const folders = page.locator('[data-testid="file-row"][data-kind="folder"]:not([data-shortcut])');
  const folderNames = await folders.getByTestId('file-name').allTextContents();
  const folder = folderNames
    .map((name) => ({ name, usage: cliDiskUsage(`${driveUser()}:/${name}`) }))
    .filter(({ usage }) => usage.files > 0)
    .sort((a, b) => a.usage.files - b.usage.files)[0];
  expect(folder, 'a Drive folder with files').toBeDefined();
  const { name: folderName, usage } = folder!;
  const before = atDropbox.has(folderName)
    ? cliDiskUsage(`${dropboxName()}:/${folderName}`)
    : { files: 0, folders: 0, bytes: 0 };
  await row(page, folderName).dragTo(accountButton(page, dropboxName()));
  const folderCard = batchCard(page, new RegExp(`“${escapeRegExp(folderName)}” to `));
  if (atDropbox.has(folderName)) {
    // Both clouds hold the same demo files: the ones of the same names are asked about.
    await expect(folderCard).toHaveAttribute('data-phase', 'needs-decision', untilDone);
    const prompt = folderCard.getByTestId('conflict-prompt');
    await expect(prompt).toContainText(/already exists? in /);
    await screenshot(page, 'transfers-conflict');
    await prompt.getByRole('button', { name: 'Rename' }).click();
  }
  await expectDone(folderCard);
  await expect(folderCard).toContainText(`${usage.files} of ${usage.files} done`);

  // Its files, one row each once shown, all done.
  await folderCard.getByRole('button', { name: /^Show files/ }).click();
  await expect(folderCard.locator('[data-testid="transfer-job"][data-state="done"]')).not.toHaveCount(0);
  await expect(folderCard.locator('[data-testid="transfer-job"]:not([data-state="done"])')).toHaveCount(0);
  await screenshot(page, 'transfers-panel');

  // Both are in Dropbox now: in the list and in the index, the folder with every file it held.
  await openAccount(page, dropboxName());
  // The file under the name Dropbox accepts (a "/" in a name becomes a look-alike there).
  const added = cliNames(`${dropboxName()}:/`).filter((name) => !atDropbox.has(name));
  expect(added).toHaveLength(1);
  const listed = await visibleNames(page);
  expect(listed).toContain(added[0]);
  expect(listed).toContain(folderName);
  const after = cliDiskUsage(`${dropboxName()}:/${folderName}`);
  expect(after.files).toBe(before.files + usage.files);
  expect(after.bytes).toBe(before.bytes + usage.bytes);
  // A copy: the sources are still in Drive.
  expect(cliNames(`${driveUser()}:/`)).toEqual(expect.arrayContaining([fileName, folderName]));
});

test('moves a file onto a folder row of the same account', async ({ page }) => {
  await withDropbox(page);
  await openAccount(page, dropboxName());
  const fileName = (await page
    .locator('[data-testid="file-row"][data-kind="file"]:not([data-shortcut])')
    .first()
    .getByTestId('file-name')
    .textContent())!;
  const folderRow = page.locator('[data-testid="file-row"][data-kind="folder"]:not([data-shortcut])').first();
  const folderName = (await folderRow.getByTestId('file-name').textContent())!;
  expect(cliNames(`${dropboxName()}:/${folderName}`)).not.toContain(fileName);

  await row(page, fileName).dragTo(folderRow);
  const card = batchCard(page, new RegExp(`^Moved “${escapeRegExp(fileName)}” to `));
  await expectDone(card);
  await expect.poll(() => cliNames(`${dropboxName()}:/${folderName}`)).toContain(fileName);
  await expect.poll(() => visibleNames(page)).not.toContain(fileName);
  expect(cliNames(`${dropboxName()}:/`)).not.toContain(fileName);
});

test('copies with Ctrl+C and pastes into another folder with Ctrl+V', async ({ page }) => {
  await withDropbox(page);
  await openAccount(page, dropboxName());
  const fileRow = page.locator('[data-testid="file-row"][data-kind="file"]:not([data-shortcut])').first();
  const fileName = (await fileRow.getByTestId('file-name').textContent())!;
  const folderName = (await page
    .locator('[data-testid="file-row"][data-kind="folder"]:not([data-shortcut])')
    .last()
    .getByTestId('file-name')
    .textContent())!;
  const before = cliNames(`${dropboxName()}:/${folderName}`);
  expect(before).not.toContain(fileName);
  expect(before.length).toBeGreaterThan(0);

  await fileRow.click();
  await page.keyboard.press('Control+c');
  await row(page, folderName).dblclick();
  await expect.poll(() => visibleNames(page)).toEqual(before);
  await page.getByRole('grid').focus();
  await page.keyboard.press('Control+v');

  const card = batchCard(page, new RegExp(`^Copied “${escapeRegExp(fileName)}” to `));
  await expectDone(card);
  await expect.poll(() => cliNames(`${dropboxName()}:/${folderName}`)).toContain(fileName);
  await expect.poll(() => visibleNames(page)).toContain(fileName);
  // A copy: the file is still where it was.
  expect(cliNames(`${dropboxName()}:/`)).toContain(fileName);
});

test('uploads files dropped from the desktop into the folder shown', async ({ page }) => {
  await withDropbox(page);
  await openAccount(page, dropboxName());
  const name = `skyfold-drop-${Date.now()}.txt`;
  const text = `Dropped from the desktop at ${new Date().toISOString()}\n`;

  // What the browser gives a page for a drop from the desktop: a DataTransfer with File objects,
  // carried by dragenter, dragover (the folder highlights) and drop.
  const area = page.getByTestId('folder-drop-area');
  const dispatch = (type: string) =>
    area.evaluate(
      (element, { type, name, text }) => {
        // The page's DOM types (this project compiles for Node).
        const scope = globalThis as unknown as {
          skyfoldTestDrop?: { items: { add: (file: File) => void } };
          DataTransfer: new () => { items: { add: (file: File) => void } };
          DragEvent: new (type: string, init: object) => Event;
        };
        if (!scope.skyfoldTestDrop) {
          const data = new scope.DataTransfer();
          data.items.add(new File([text], name, { type: 'text/plain' }));
          data.items.add(new File(['second file\n'], name.replace('.txt', '-2.txt'), { type: 'text/plain' }));
          scope.skyfoldTestDrop = data;
        }
        const event = new scope.DragEvent(type, {
          dataTransfer: scope.skyfoldTestDrop,
          bubbles: true,
          cancelable: true,
        });
        element.dispatchEvent(event);
        return event.defaultPrevented;
      },
      { type, name, text },
    );
  expect(await dispatch('dragenter')).toBe(true);
  expect(await dispatch('dragover')).toBe(true);
  await expect(area).toHaveAttribute('data-drop-target', 'true');
  expect(await dispatch('drop')).toBe(true);
  await expect(area).not.toHaveAttribute('data-drop-target');

  await expect(panel(page)).toBeVisible();
  const card = batchCard(page, new RegExp(`^Copied 2 files to ${escapeRegExp(dropboxName())}$`));
  await expectDone(card);
  await expect(page.getByTestId('upload')).toHaveCount(0);
  await expect.poll(() => cliNames(`${dropboxName()}:/`)).toContain(name);
  await expect.poll(() => visibleNames(page)).toContain(name);
  await expect(row(page, name).locator('.cell-size')).toHaveText(
    `${new TextEncoder().encode(text).length} bytes`,
  );

  // The Download action (toolbar; Ctrl+Shift+D) brings the same bytes back.
  await row(page, name).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.pane.active').getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(name);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).toString('utf8')).toBe(text);
  await screenshot(page, 'transfers-upload');
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
