/**
 * Search end to end in Chromium: the toolbar's box (typed into, reached with Ctrl+F or by typing in
 * the file list), results checked against `skyfold search --json` on the same index, filter chips,
 * an inline syntax error, and the keyboard from results back into the browser.
 */
import { expect, test, type Page } from '@playwright/test';
import { appUrl, cliNames, cliSearch, screenshot, visibleNames, type CliSearchHit, crumbs } from './helpers';

const searchBox = (page: Page) => page.getByRole('searchbox', { name: 'Search all accounts' });
const results = (page: Page) => page.getByRole('grid', { name: 'Search results' });
const resultCount = (page: Page) => page.getByTestId('search-count');
const row = (page: Page, name: string) =>
  page
    .getByTestId('file-row')
    .filter({ has: page.getByTestId('file-name').getByText(name, { exact: true }) });

async function openDemo(page: Page): Promise<void> {
  await page.goto(appUrl());
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: 'Demo', exact: true })
    .click();
  await expect(page.getByRole('grid', { name: 'Files in Demo' })).toBeVisible();
}

const countLabel = (count: number) => `${count.toLocaleString('en-US')} result${count === 1 ? '' : 's'}`;
const folderOf = (hit: CliSearchHit) =>
  `${hit.account}:${hit.path.slice(0, hit.path.lastIndexOf('/')) || '/'}`;

/**
 * The results shown for `query` are the CLI's: the same count, and the rendered rows (names and
 * folders) the CLI's first ones, in order. Returns the CLI's results.
 */
async function expectResultsOf(page: Page, query: string): Promise<CliSearchHit[]> {
  const expected = cliSearch(query, '--limit', '1000');
  expect(expected.length, 'pick a query with fewer than 1,000 results').toBeLessThan(1000);
  await expect(resultCount(page)).toHaveText(
    expected.length === 0 ? `No results for “${query}”` : countLabel(expected.length),
  );
  if (expected.length === 0) return expected;
  await expect
    .poll(async () => {
      const names = await visibleNames(page);
      const folders = await page.getByTestId('result-folder').allTextContents();
      const want = expected.slice(0, names.length);
      const same =
        names.length >= Math.min(expected.length, 10) &&
        names.every((name, at) => name === want[at]!.name && folders[at] === folderOf(want[at]!));
      return same ? 'same as the CLI' : { names, folders, want: want.map((hit) => hit.path) };
    })
    .toBe('same as the CLI');
  return expected;
}

test('searches as you type, matching the CLI, with filter chips and an inline syntax error', async ({
  page,
}) => {
  await openDemo(page);
  await searchBox(page).fill('budget');
  await expect(results(page)).toBeVisible();
  await expectResultsOf(page, 'budget');

  // One character works too.
  await searchBox(page).fill('q');
  await expectResultsOf(page, 'q');

  // A filter becomes a chip; removing it puts the text without it back in the box.
  await searchBox(page).fill('budget ext:pdf');
  const chips = page.getByTestId('filter-chip');
  await expect(chips).toHaveText(['Extension: pdf']);
  const pdfs = await expectResultsOf(page, 'budget ext:pdf');
  expect(pdfs.every((hit) => hit.name.endsWith('.pdf'))).toBe(true);
  await screenshot(page, 'search');
  await page.getByRole('button', { name: 'Remove filter Extension: pdf' }).click();
  await expect(searchBox(page)).toHaveValue('budget');
  await expect(chips).toHaveCount(0);
  const all = await expectResultsOf(page, 'budget');
  expect(all.length).toBeGreaterThan(pdfs.length);

  // A filter it cannot read says why, in place of the count.
  await searchBox(page).fill('budget size:>lots');
  await expect(page.getByTestId('search-error')).toContainText('size');
  await expect(resultCount(page)).toHaveCount(0);

  // Nothing matching says so.
  await searchBox(page).fill('zzqqxx');
  await expectResultsOf(page, 'zzqqxx');

  // Escape empties the box and gives the folder back, with its grid focused.
  await searchBox(page).press('Escape');
  await expect(searchBox(page)).toHaveValue('');
  await expect(page.getByRole('grid', { name: 'Files in Demo' })).toBeFocused();
  await expect.poll(() => visibleNames(page)).toEqual(cliNames('Demo:/'));
});

test('Ctrl+F from the file list starts a search; Enter on a folder result opens it', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('grid', { name: 'Files in Demo' }).focus();
  // Typing in the list selects by name (type-to-select); Ctrl+F goes to the search box.
  await page.keyboard.press('ControlOrMeta+f');
  await page.keyboard.type('Deeper');
  await expect(searchBox(page)).toBeFocused();
  await expect(searchBox(page)).toHaveValue('Deeper');
  const [deeper] = await expectResultsOf(page, 'Deeper');
  expect(deeper).toMatchObject({ kind: 'folder', path: '/Archive/Old Projects/2019/Deep/Deeper' });

  await page.keyboard.press('ArrowDown');
  await expect(results(page)).toBeFocused();
  await expect(row(page, 'Deeper')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(crumbs(page)).toHaveText(['Demo', 'Archive', 'Old Projects', '2019', 'Deep', 'Deeper']);
  await expect(searchBox(page)).toHaveValue('');
  await expect
    .poll(() => visibleNames(page))
    .toEqual(cliNames('Demo:/Archive/Old Projects/2019/Deep/Deeper'));
});

test('Ctrl+F focuses the box; Enter on a file opens its folder with the file selected', async ({ page }) => {
  await openDemo(page);
  await page.keyboard.press('Control+f');
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.type('budget ext:xlsx in:Demo');
  const hits = await expectResultsOf(page, 'budget ext:xlsx in:Demo');
  await expect(page.getByTestId('filter-chip')).toHaveText(['Extension: xlsx', 'Account: Demo']);
  const target = hits[1]!;

  await page.keyboard.press('ArrowDown'); // into the results, on the first
  await page.keyboard.press('ArrowDown');
  await expect(row(page, target.name)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const folders = target.path.split('/').slice(1, -1);
  await expect(crumbs(page)).toHaveText([target.account, ...folders]);
  await expect(row(page, target.name)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('grid', { name: `Files in ${folders.at(-1)}` })).toBeFocused();
});
