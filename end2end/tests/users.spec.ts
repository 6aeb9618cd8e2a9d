import { test, expect, hydrated, nameCells, signIn } from './fixtures';

test.beforeEach(async ({ page }) => {
  await signIn(page);
  await hydrated(page);
});

test('the users table shows a page of members with their details', async ({ page }) => {
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(nameCells(page)).toHaveCount(25);
  for (const column of ['Display name', 'User id', 'Roles', 'Flags', 'Banned', 'Created']) {
    await expect(page.getByRole('columnheader', { name: column })).toBeVisible();
  }
});

test('search updates the list as you type, without a full reload', async ({ page }) => {
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same document'));
  const first = await nameCells(page).first().textContent();
  await page.getByRole('searchbox', { name: 'Search' }).pressSequentially('zoë', { delay: 40 });
  await expect(page).toHaveURL(/\/users\?q=zo%C3%AB$/);
  await expect(nameCells(page).first()).not.toHaveText(first ?? '');
  const names = await nameCells(page).allTextContents();
  const ids = await page.locator('table tbody td code').allTextContents();
  expect(names.length).toBeGreaterThan(0);
  names.forEach((name, i) => expect(`${name} ${ids[i]}`.toLowerCase()).toContain('zo'));
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same document');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused();
});

test('a search with no matches says so and offers a way back', async ({ page }) => {
  await page.getByRole('searchbox', { name: 'Search' }).fill('no such member anywhere');
  await expect(page.getByText('No users match “no such member anywhere”.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear the search and filters' }).click();
  await expect(nameCells(page)).toHaveCount(25);
});

test('the flagged filter shows only flagged users and lives in the URL', async ({ page }) => {
  await page.getByLabel('Show').selectOption('flagged');
  await expect(page).toHaveURL(/filter=flagged/);
  await expect(nameCells(page).first()).toBeVisible();
  const flags = await page.locator('table tbody td.num').allTextContents();
  expect(flags.length).toBeGreaterThan(0);
  for (const count of flags) expect(Number(count.trim())).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByLabel('Show')).toHaveValue('flagged');
});

test('sorting newest first orders by creation date', async ({ page }) => {
  await page.getByLabel('Sort').selectOption('newest');
  await expect(page).toHaveURL(/sort=newest/);
  await expect(page.locator('table tbody time').first()).toBeVisible();
  const dates = await page.locator('table tbody time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
  expect([...dates].sort().reverse()).toEqual(dates);
});

test('paging forward and back keeps the position in the URL', async ({ page }) => {
  const firstPage = await nameCells(page).allTextContents();
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(nameCells(page).first()).not.toHaveText(firstPage[0]);
  const secondPage = await nameCells(page).allTextContents();
  expect(secondPage).not.toEqual(firstPage);
  const secondUrl = page.url();

  await page.getByRole('link', { name: '← Previous' }).click();
  await expect(nameCells(page).first()).toHaveText(firstPage[0]);
  expect(await nameCells(page).allTextContents()).toEqual(firstPage);

  await page.goto(secondUrl);
  expect(await nameCells(page).allTextContents()).toEqual(secondPage);
});

test('a user opens on their own page with profile and metadata', async ({ page }) => {
  const link = nameCells(page).first().getByRole('link');
  const name = (await link.textContent()) ?? '';
  await link.click();
  await expect(page).toHaveURL(/\/users\/[^/?]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await expect(page.getByRole('heading', { name: 'Profile' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Metadata' })).toBeVisible();
  await expect(page.locator('pre.code-block')).toContainText('"country"');
  await page.getByRole('link', { name: '← Users' }).click();
  await expect(page).toHaveURL(/\/users$/);
});

test.describe('a deliberate 404', () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('an unknown user id shows a not-found message', async ({ page }) => {
    await page.goto('/users/nobody-at-all');
    await expect(page.getByRole('alert')).toContainText('User “nobody-at-all” was not found.');
  });
});
