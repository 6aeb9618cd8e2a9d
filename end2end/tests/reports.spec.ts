import { test, expect, hydrated, signIn } from './fixtures';

async function csvOf(download: import('@playwright/test').Download): Promise<string[]> {
  const chunks = await (await download.createReadStream()).toArray();
  return Buffer.concat(chunks).toString('utf8').trim().split(/\r?\n/);
}

test('the last-activity report is fetched on demand, listed and downloadable', async ({ page }) => {
  await signIn(page, '/reports');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
  const rows = page.getByTestId('report');
  const before = await rows.count();
  await page.getByTestId('fetch-report').click();
  await expect(page.getByRole('status').filter({ hasText: /^Fetched: \d+ users/ })).toBeVisible();
  await expect(rows).toHaveCount(before + 1);
  const newest = rows.first();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    newest.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const lines = await csvOf(download);
  expect(lines[0]).toBe('"user_id","user_public_id","display_name","last_active_utc"');
  const users = Number(await newest.locator('td').nth(2).textContent());
  expect(lines.length - 1).toBe(users);
});

test('a metrics export is made on demand and its CSV has a row per value of the chosen charts', async ({ page }) => {
  await signIn(page, '/reports');
  await hydrated(page);
  const exports = page.getByTestId('metric-export');
  const before = await exports.count();
  await page.getByTestId('export-metrics').click();
  await expect(page.getByRole('status').filter({ hasText: /^Exported \d+ values/ })).toBeVisible();
  await expect(exports).toHaveCount(before + 1);
  const newest = exports.first();
  await expect(newest).toContainText('active_users, new_users, content, flags, moderation_actions');
  const values = Number(await newest.locator('td').nth(4).textContent());
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    newest.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const lines = await csvOf(download);
  expect(lines[0]).toBe('"chart","label","series","value"');
  expect(lines.length - 1).toBe(values);
  const charts = new Set(lines.slice(1).map((line) => line.split(',')[0].replace(/"/g, '')));
  expect([...charts].sort()).toEqual(['active_users', 'content', 'flags', 'moderation_actions', 'new_users']);
});
