/**
 * Continuous sync as the window shows it: each account's status line (sidebar and status bar), and
 * coming back to the window asking every account for its changes (`syncAll`), at most once per 30 s.
 * The calls are observed on the app's WebSocket, which the test passes through unchanged.
 */
import { expect, test, type Page } from '@playwright/test';
import { appUrl, screenshot } from './helpers';

/** `Up to date`, maybe with when: `Up to date · just now`, `Up to date · 2 min ago`. */
const upToDate = /^Up to date( · .+)?$/;

const accountStatus = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Accounts' })
    .getByTestId('account-row')
    .filter({ has: page.getByRole('button', { name, exact: true }) })
    .getByTestId('account-status');
const demoStatus = (page: Page) => accountStatus(page, 'Demo');

interface RpcLog {
  /** Every call the page sent, by method, in order. */
  calls: { id: number; method: string }[];
  /** Outcomes of the calls, by id, as the engine answered them. */
  answers: Map<number, { ok: boolean; error?: unknown }>;
}

/** Passes the app's WebSocket through to the web host, logging the calls and their answers. */
async function logRpc(page: Page): Promise<RpcLog> {
  const log: RpcLog = { calls: [], answers: new Map() };
  await page.routeWebSocket('**/rpc', (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { kind: string; id: number; method: string };
      if (call.kind === 'call') log.calls.push({ id: call.id, method: call.method });
      server.send(message);
    });
    server.onMessage((message) => {
      const answer = JSON.parse(String(message)) as {
        kind: string;
        id: number;
        ok: boolean;
        error?: unknown;
      };
      if (answer.kind === 'result') log.answers.set(answer.id, { ok: answer.ok, error: answer.error });
      socket.send(message);
    });
  });
  return log;
}

/**
 * The engine lists local accounts again when it starts (a spec run alone meets the demo account's
 * 100,000-entry crawl): the first wait for "Up to date" may take that long.
 */
const afterStartupCrawl = { timeout: 90_000 };
test.describe.configure({ timeout: 150_000 });

const syncAllCalls = (log: RpcLog) => log.calls.filter((call) => call.method === 'syncAll');

/** What the window gets when a person comes back to it: visible again, then focus. */
async function comeBack(page: Page): Promise<void> {
  await page.evaluate(
    "document.dispatchEvent(new Event('visibilitychange')); window.dispatchEvent(new FocusEvent('focus'))",
  );
}

/**
 * Sends a call after everything the page did so far (a refresh of the open account) and waits until
 * it reached the host: the socket keeps order, so every earlier call is in the log by then.
 */
async function flushCalls(page: Page, log: RpcLog): Promise<void> {
  const before = log.calls.length;
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect
    .poll(() => log.calls.slice(before).some((call) => call.method === 'refreshAccount'))
    .toBe(true);
}

const demoButton = (page: Page) =>
  page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name: 'Demo', exact: true });

test('the sidebar and the status bar say the demo account is up to date', async ({ page }) => {
  await page.goto(appUrl());
  await expect(demoStatus(page)).toHaveText(upToDate, afterStartupCrawl);
  // The details (item count, the exact time) are in the tooltip; the line itself is text, not colour.
  await expect(demoStatus(page)).toHaveAttribute('title', /items? in the index/);
  await demoButton(page).click();
  await expect(page.getByTestId('sync-status')).toHaveText(upToDate);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-sync', 'idle');
  await screenshot(page, 'sync-status-up-to-date');
});

test('coming back to the window asks every account for changes, at most once per 30 s', async ({ page }) => {
  const log = await logRpc(page);
  // Time flows as usual; fastForward below stands for the 30 s a person would be away.
  await page.clock.install();
  await page.goto(appUrl());
  await demoButton(page).click();
  await expect(page.getByTestId('sync-status')).toHaveText(upToDate, afterStartupCrawl);
  expect(syncAllCalls(log)).toHaveLength(0); // opening the window does not ask (the engine syncs on start)

  await comeBack(page);
  await expect.poll(() => syncAllCalls(log).length).toBe(1);
  const first = syncAllCalls(log)[0]!;
  await expect.poll(() => log.answers.get(first.id)).toEqual({ ok: true });

  // Within 30 s, coming back again sends nothing.
  await comeBack(page);
  await comeBack(page);
  await flushCalls(page, log);
  expect(syncAllCalls(log)).toHaveLength(1);

  // 30 s later it asks again, and the account is still up to date.
  await page.clock.fastForward(30_000);
  await comeBack(page);
  await expect.poll(() => syncAllCalls(log).length).toBe(2);
  await expect(demoStatus(page)).toHaveText(upToDate);
  await expect(page.getByTestId('sync-status')).toHaveText(upToDate);
});
