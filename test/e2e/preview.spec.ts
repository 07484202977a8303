/**
 * The preview and properties panel, the way a person uses it: Space on a focused row previews the
 * file beside the list (a text file, a PDF drawn by PDF.js, a real PNG; a folder and a Google
 * document have none), Alt+Enter shows its properties (path, size, the MD5 Drive reports, copied
 * to the clipboard, and "Open in Google Drive", which opens the address the engine built in a new
 * tab), Escape closes it. Files come from the emulated Google Drive that global-setup signs in
 * (its demo seed: Documents/notes.txt, Documents/Invoice 2025-03.pdf, Photos/2024/beach.png); the
 * local demo folder shows that a local file has no web page. axe checks the open panel.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { appUrl, cliNames, screenshot, visibleNames } from './helpers';

/** A spec run alone meets the engine's startup crawl of the 100,000-entry demo folder first. */
test.setTimeout(120_000);

const driveUser = () => process.env.SKYFOLD_E2E_DRIVE_USER!;
const panel = (page: Page) => page.getByRole('complementary', { name: 'Preview and properties' });
const grid = (page: Page) => page.locator('.pane.active').getByRole('grid');
const row = (page: Page, name: string) =>
  page
    .locator('.pane.active')
    .getByTestId('file-row')
    .filter({ has: page.getByTestId('file-name').getByText(name, { exact: true }) });

async function openAccount(page: Page, name: string): Promise<void> {
  await page.goto(appUrl());
  await page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name, exact: true }).click();
  await expect(grid(page)).toBeVisible();
  await expect.poll(() => visibleNames(page), { timeout: 60_000 }).toEqual(cliNames(`${name}:/`));
}

async function openFolder(page: Page, name: string): Promise<void> {
  await row(page, name).dblclick();
  await expect(page.locator('.pane.active [aria-current="page"]').first()).toHaveText(name);
  await visibleNames(page);
}

/** Focuses a row (a click) and presses `key` on it. */
async function pressOn(page: Page, name: string, key: string): Promise<void> {
  await row(page, name).click();
  await page.keyboard.press(key);
}

/** No serious or critical accessibility violation inside the open panel. */
async function expectAccessiblePanel(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('[data-testid="preview-panel"]').analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

test('Space previews text, PDF and images beside the list; folders and Google documents have none', async ({
  page,
}) => {
  await openAccount(page, driveUser());
  await openFolder(page, 'Documents');

  await pressOn(page, 'notes.txt', 'Space');
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).getByRole('tab', { name: 'Preview' })).toHaveAttribute('aria-selected', 'true');
  await expect(panel(page).getByRole('heading', { name: 'notes.txt' })).toBeVisible();
  await expect(panel(page).getByTestId('preview-text')).toHaveJSProperty(
    'textContent',
    'Buy milk.\nCall Bob.\n',
  );
  await expect(panel(page).getByTestId('preview-truncated')).toHaveCount(0);

  // The panel follows the focused row.
  await row(page, 'Invoice 2025-03.pdf').click();
  await expect(panel(page).getByRole('heading', { name: 'Invoice 2025-03.pdf' })).toBeVisible();
  await expect(panel(page).getByTestId('pdf-page-counter')).toHaveText('Page 1 of 1');
  const firstPage = panel(page).getByRole('img', { name: 'Invoice 2025-03.pdf, page 1 of 1' });
  await expect(firstPage).toHaveAttribute('data-drawn', 'yes');
  // Drawn for real: the canvas holds more than one colour (text on a white page).
  const colours = await firstPage.evaluate((element) => {
    // The page's DOM types (this project compiles for Node).
    const canvas = element as unknown as {
      width: number;
      height: number;
      getContext(type: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      };
    };
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length && seen.size < 3; i += 4)
      seen.add(data[i]! + data[i + 1]! + data[i + 2]!);
    return seen.size;
  });
  expect(colours).toBeGreaterThan(1);

  await row(page, 'Project plan').click();
  await expect(panel(page).getByTestId('no-preview')).toContainText('No preview for this kind of file');
  await expect(panel(page).getByTestId('no-preview')).toContainText('Google Docs document');

  await page.getByRole('button', { name: 'Go up' }).click();
  await row(page, 'Photos').click();
  await expect(panel(page).getByTestId('no-preview')).toContainText('Folder');

  await openFolder(page, 'Photos');
  await openFolder(page, '2024');
  await row(page, 'beach.png').click();
  const image = panel(page).getByRole('img', { name: 'beach.png' });
  await expect(image).toBeVisible();
  const natural = await image.evaluate((element) => {
    const img = element as unknown as { naturalWidth: number; naturalHeight: number };
    return [img.naturalWidth, img.naturalHeight];
  });
  expect(natural).toEqual([640, 427]);
  await expectAccessiblePanel(page);
  await screenshot(page, 'preview-image');

  // Space again closes the preview; focus stays in the list.
  await page.keyboard.press('Space');
  await expect(panel(page)).toHaveCount(0);
});

test('Alt+Enter shows properties with the known hash, copies it, and opens the Drive page', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // No internet here: the Drive web UI answers from a stand-in, which records the address opened.
  await context.route('https://drive.google.com/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>Google Drive</title>' }),
  );
  await openAccount(page, driveUser());
  await openFolder(page, 'Documents');
  await pressOn(page, 'notes.txt', 'Alt+Enter');

  await expect(panel(page).getByRole('tab', { name: 'Properties' })).toHaveAttribute('aria-selected', 'true');
  const properties = panel(page).getByTestId('properties');
  await expect(properties.getByTestId('property-name')).toHaveText('notes.txt');
  await expect(properties.getByTestId('property-type')).toHaveText('TXT file');
  await expect(properties.getByTestId('property-size')).toHaveText('20 bytes');
  await expect(properties.getByTestId('property-size')).toHaveAttribute('title', '20 bytes');
  await expect(properties.getByTestId('property-account')).toHaveText(driveUser());
  await expect(properties.getByTestId('property-path')).toHaveText('/Documents/notes.txt');
  await expect(properties.getByTestId('property-modified')).not.toBeEmpty();

  const md5 = createHash('md5').update('Buy milk.\nCall Bob.\n').digest('hex');
  const hash = panel(page).getByTestId('hash').filter({ hasText: 'MD5' });
  await expect(hash.locator('code')).toHaveText(md5);
  await hash.getByRole('button', { name: 'Copy MD5' }).click();
  await expect(hash.getByRole('button', { name: 'Copied MD5' })).toBeVisible();
  const clipboard = await page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );
  expect(clipboard).toBe(md5);

  await expectAccessiblePanel(page);
  await screenshot(page, 'properties');

  const [drivePage] = await Promise.all([
    context.waitForEvent('page'),
    panel(page).getByRole('button', { name: 'Open in Google Drive' }).click(),
  ]);
  await drivePage.waitForLoadState();
  expect(new URL(drivePage.url()).origin).toBe('https://drive.google.com');
  // Opened without a way back to the app.
  expect(await drivePage.evaluate(() => (globalThis as unknown as { opener: unknown }).opener)).toBeNull();
  await drivePage.close();

  // Escape from inside the panel closes it and gives focus back to the list.
  await panel(page).getByRole('tab', { name: 'Properties' }).focus();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await expect(grid(page)).toBeFocused();
});

test('the tabs switch with the arrow keys, and a local file has no web page', async ({ page }) => {
  await openAccount(page, 'Demo');
  await pressOn(page, 'with spaces in name.txt', 'Alt+Enter');
  await expect(panel(page).getByTestId('property-path')).toHaveText('/with spaces in name.txt');
  await expect(panel(page).getByTestId('property-account')).toHaveText('Demo');
  await expect(panel(page).getByRole('button', { name: /^Open in / })).toHaveCount(0);

  await panel(page).getByRole('tab', { name: 'Properties' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(panel(page).getByRole('tab', { name: 'Preview' })).toBeFocused();
  await expect(panel(page).getByRole('tab', { name: 'Preview' })).toHaveAttribute('aria-selected', 'true');
  // The demo file holds its own name repeated up to its size.
  await expect(panel(page).getByTestId('preview-text')).toContainText('with spaces in name.txtwith');
});
