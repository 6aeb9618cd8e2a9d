import { test, expect, hydrated, signIn, useSession, VIEWER_SESSION } from './fixtures';
import type { Locator } from '@playwright/test';

// `cargo xtask e2e` stores a few days of events before the suite (server/examples/seed_analytics.rs):
// today ann and bob are active, yesterday ann and cat, 3 days ago dan, bob and cat (two flags on dan's
// post), 9 days ago eve. So today: DAU 2, WAU 4 (ann, bob, cat, dan), MAU 5 (and eve).

/** The rows of a chart's "Numbers" table, as CSV lines. */
/** A CSV line with each cell's quotes taken off (the console quotes every cell). */
function unquoted(line: string): string {
  return line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1')).join(',');
}

async function shownRows(chart: Locator): Promise<string[]> {
  await chart.locator('summary', { hasText: 'Numbers' }).click();
  return chart
    .locator('table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => Array.from(row.children, (cell) => (cell.textContent ?? '').trim()).join(',')),
    );
}

test('the active-users chart renders on the server and its CSV is the table shown', async ({ page }) => {
  await signIn(page, '/analytics');
  await hydrated(page);
  const chart = page.locator('#chart-active_users');
  await expect(chart.getByRole('heading', { name: 'Active users' })).toBeVisible();
  await expect(chart.locator('svg polyline')).toHaveCount(3);
  await expect(chart).toContainText('in the 30 days (MAU)');

  const rows = await shownRows(chart);
  expect(rows).toHaveLength(30);
  const today = new Date().toISOString().slice(0, 10);
  expect(rows.at(-1)).toBe(`${today},2,4,5`);

  const href = await chart.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toContain('chart=active_users');
  const response = await page.request.get(href ?? '');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/csv');
  const lines = (await response.text()).trimEnd().split('\r\n').map(unquoted);
  expect(lines[0]).toBe('date,DAU,WAU,MAU');
  expect(lines.slice(1)).toEqual(rows);
});

test('series toggle off and on, and hovering a day shows its values', async ({ page }) => {
  await signIn(page, '/analytics');
  await hydrated(page);
  const chart = page.locator('#chart-active_users');
  const mau = chart.locator('g[data-series="MAU"]');
  await expect(mau).not.toHaveClass(/is-hidden/);
  await chart.getByRole('checkbox', { name: 'MAU' }).uncheck();
  await expect(mau).toHaveClass(/is-hidden/);
  await chart.getByRole('checkbox', { name: 'MAU' }).check();
  await expect(mau).not.toHaveClass(/is-hidden/);

  await chart.locator('rect.analytics-hit').last().hover();
  await expect(chart.locator('.analytics-readout')).toContainText('DAU 2, WAU 4, MAU 5');
});

test('weekly points and the flag rankings for a range in the URL, for a viewer', async ({ page, context, baseURL }) => {
  await useSession(context, VIEWER_SESSION, baseURL);
  await page.goto('/analytics?granularity=weekly');
  await hydrated(page);
  await expect(page.getByLabel('Points')).toHaveValue('weekly');
  const flags = page.locator('#chart-flags');
  const weeks = await shownRows(flags);
  expect(weeks.length).toBeGreaterThanOrEqual(12);
  expect(weeks.map((row) => Number(row.split(',')[1])).reduce((a, b) => a + b, 0)).toBe(2);

  await expect(page.locator('summary', { hasText: 'Maintenance' })).toHaveCount(0);

  const users = page.locator('#chart-flagged_users');
  expect(await shownRows(users)).toEqual(['e2e-dan,2']);
  const href = await users.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  const csv = await (await page.request.get(href ?? '')).text();
  expect(csv).toBe('"user","Flags"\r\n"e2e-dan","2"\r\n');
});

test('an admin rebuilds the rollups from the stored events and the charts come back the same', async ({ page }) => {
  await signIn(page, '/analytics');
  await hydrated(page);
  const before = await shownRows(page.locator('#chart-active_users'));
  await page.locator('summary', { hasText: 'Maintenance' }).click();
  await page.getByRole('button', { name: 'Rebuild the rollups' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rebuild started.' })).toBeVisible();

  // It runs in the background; the page says so until it is over, then shows the same numbers.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('#chart-active_users')).toBeVisible();
    await expect(page.getByTestId('analytics-rebuild')).toHaveCount(0);
  }).toPass({ timeout: 30_000 });
  await hydrated(page);
  expect(await shownRows(page.locator('#chart-active_users'))).toEqual(before);
});
