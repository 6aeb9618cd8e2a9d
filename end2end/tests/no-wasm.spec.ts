import { test, expect, PASSWORD } from './fixtures';

// Without JavaScript (so without WASM): plain links and GET forms must still work.
test.use({ javaScriptEnabled: false });

test('sign in, search, filter, page and open a user without JavaScript', async ({ page }) => {
  await page.goto('/users');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/users$/);

  await page.getByRole('searchbox', { name: 'Search' }).fill('an');
  await page.getByLabel('Show').selectOption('flagged');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=an/);
  await expect(page).toHaveURL(/filter=flagged/);
  const rows = page.locator('table tbody tr');
  await expect(rows.first()).toBeVisible();
  // Bulk selection needs the hydrated page: without it there are no dead checkboxes or bar.
  await expect(page.getByTestId('select-user').first()).toBeHidden();
  await expect(page.getByTestId('users-bulk')).toBeHidden();
  for (const count of await page.locator('table tbody td.num').allTextContents()) {
    expect(Number(count.trim())).toBeGreaterThan(0);
  }

  await page.goto('/users');
  const first = await page.locator('table tbody th').first().textContent();
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page.locator('table tbody th').first()).not.toHaveText(first ?? '');
  await page.getByRole('link', { name: '← Previous' }).click();
  await expect(page.locator('table tbody th').first()).toHaveText(first ?? '');

  await page.locator('table tbody th a').first().click();
  await expect(page.getByRole('heading', { name: 'Profile' })).toBeVisible();

  // A chart's series toggles need the hydrated page; their names stay as the legend.
  await page.goto('/analytics');
  const legend = page.locator('#chart-active_users .analytics-toggle');
  await expect(legend.filter({ hasText: 'MAU' })).toBeVisible();
  await expect(legend.locator('input').first()).toBeHidden();

  await page.getByRole('button', { name: /Theme: system/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
