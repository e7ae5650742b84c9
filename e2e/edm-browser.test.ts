// The edm system end to end in a real browser: storefront clicks reach the dashboard's live feed within 2 s, and
// GET /api/stats counts exactly the events the storefront sent (through gateway, relay, Kafka, stream and stats).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startEdmSpace, stats, until, type EdmSpace } from './edm-support.js';

let space: EdmSpace;
let browser: BrowserContext;
let profile = '';

before(async () => {
  space = await startEdmSpace();
  profile = mkdtempSync(join(tmpdir(), 'edm-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close().catch(() => {});
  if (profile) rmSync(profile, { recursive: true, force: true });
  await space?.cleanup();
});

const feedCount = (dash: Page, session: string, type: string) =>
  dash.evaluate(([s, t]) => document.querySelectorAll(`#feed li[data-session="${s}"][data-type="${t}"]`).length, [session, type] as const);

test('storefront clicks appear in the dashboard feed within 2 s, and /api/stats counts exactly them', async () => {
  const dash = await browser.newPage();
  await dash.goto(`${space.gateway}/dashboard`);
  await until(() => dash.evaluate(() => (window as unknown as { edmDashboard: { connected: boolean } }).edmDashboard.connected), 15_000, 'the dashboard to connect to the stream');
  assert.match((await dash.textContent('#status')) ?? '', /Live/);
  // WebSockets work through the gateway: Socket.io did not fall back to long polling.
  assert.equal(await dash.evaluate(() => (window as unknown as { edmDashboard: { transport: string } }).edmDashboard.transport), 'websocket');

  const shop = await browser.newPage();
  await shop.goto(`${space.gateway}/`);
  const session = await shop.evaluate(() => sessionStorage.getItem('edm-session'));
  assert.ok(session, 'the storefront made a session id');

  // Add to cart on page 1 and page 2 of the grid, then View a product (a click) and add it from its own page.
  const clicks: string[] = [];
  const click = async (selector: string, product: string) => {
    const started = Date.now();
    await shop.click(selector);
    clicks.push(product);
    await until(async () => (await feedCount(dash, session, 'click')) >= clicks.length, 2000, `click ${clicks.length} (${product}) in the dashboard feed`);
    return Date.now() - started;
  };
  const latencies: number[] = [];
  for (const p of ['p-001', 'p-003', 'p-008']) latencies.push(await click(`button[data-action="cart"][data-product="${p}"]`, p));
  await shop.click('a[data-page="2"]');
  await shop.waitForURL(/page=2/);
  for (const p of ['p-009', 'p-012']) latencies.push(await click(`button[data-action="cart"][data-product="${p}"]`, p));
  latencies.push(await click('a.btn[data-action="view"][data-product="p-010"]', 'p-010'));
  await shop.waitForURL(/\/products\/p-010$/);
  await until(async () => (await feedCount(dash, session, 'pageload')) === 1, 2000, 'the product page load in the feed');
  latencies.push(await click('button[data-action="cart"][data-product="p-010"]', 'p-010'));

  const sent = await shop.evaluate(() => (window as unknown as { edmSent: { acked: number; failed: number } }).edmSent);
  assert.deepEqual({ acked: sent.acked, failed: sent.failed }, { acked: 2, failed: 0 }, 'the product page got 202 for its pageload and its click');
  assert.ok(Math.max(...latencies) < 2000, `click to feed: ${latencies.join(', ')} ms`);

  // The feed names products as the storefront does.
  await until(async () => ((await dash.textContent('#feed')) ?? '').includes('Nebula Poly-8'), 2000, 'product names in the feed');

  const want = new Map<string, number>();
  for (const p of clicks) want.set(p, (want.get(p) ?? 0) + 1);
  const s = await until(async () => {
    const s = await stats(space);
    return s.totals.click + s.totals.pageload >= clicks.length + 1 ? s : undefined;
  }, 15_000, 'edm-stats to count every event');
  assert.deepEqual(s.totals, { click: clicks.length, pageload: 1 });
  for (const [p, n] of want) assert.equal(s.products.find((x) => x.product === p)?.click, n, p);
  assert.equal(s.products.find((x) => x.product === 'p-010')?.pageload, 1);
  const minuteSum = s.minutes.reduce((a, m) => a + m.click, 0);
  assert.equal(minuteSum, clicks.length, 'the last hour of minutes holds every click');

  // The dashboard's KPIs come from the same stats.
  await until(async () => (await dash.textContent('#k-click')) === String(clicks.length), 5000, 'the dashboard KPI to show the click total');
});
