import { test, expect, PASSWORD, hydrated, signIn } from './fixtures';

test('a signed-out visitor is sent to sign in and comes back where they were going', async ({ page }) => {
  await page.goto('/users?q=an');
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/users\?q=an$/);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('an');
});

test('a wrong password shows an error and does not sign in', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Password').fill('definitely-wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong user name or password.');
  await page.goto('/users');
  await expect(page).toHaveURL(/\/login/);
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page);
  await hydrated(page);
  await expect(page.getByText('admin', { exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=1/);
  await expect(page.getByRole('status').filter({ hasText: 'You have signed out.' })).toBeVisible();
  await page.goto('/users');
  await expect(page).toHaveURL(/\/login/);
});
