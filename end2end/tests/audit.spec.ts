import { test, expect, hydrated, signIn, VIEWER_SESSION } from './fixtures';

test('the audit page lists the sign-in, filters by action and exports CSV', async ({ page }) => {
  await signIn(page, '/audit');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  const rows = page.locator('table tbody tr');
  await expect(rows.filter({ hasText: 'sign_in' }).first()).toBeVisible();

  await page.getByLabel('Action').selectOption('sign_in');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/[?&]action=sign_in/);
  const actions = page.locator('table tbody td.audit__action');
  await expect(actions.first()).toHaveText('sign_in');
  await expect(actions.filter({ hasNotText: /^sign_in$/ })).toHaveCount(0);

  const exportLink = page.getByRole('link', { name: 'Export CSV' });
  await expect(exportLink).toHaveAttribute('href', '/audit/export.csv?action=sign_in');
  const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
  expect(download.suggestedFilename()).toBe('audit.csv');
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString('utf8');
  const lines = text.trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/^"id","at","actor_id","actor_role","action","target","outcome"/);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(',"sign_in",');
});

test('the settings show a fingerprint of the admin token, never the token', async ({ page }) => {
  await signIn(page, '/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByTestId('token-fingerprint')).toHaveText(/^[0-9a-f]{4}… \(\d+ characters\)$/);
  await expect(page.getByRole('button', { name: 'Regenerate admin token' })).toBeVisible();
});

test.describe('as a viewer', () => {
  // The forbidden page is served with status 403, which the browser reports as an error.
  test.use({ allowedConsoleErrors: [/status of 403/] });

  test('a viewer sees no Settings or Audit and is told so on the page', async ({ page, context, baseURL }) => {
    expect(VIEWER_SESSION, 'run through `cargo xtask e2e`').not.toBe('');
    await context.addCookies([{ name: 'console_session', value: VIEWER_SESSION, url: baseURL ?? '' }]);
    await page.goto('/users');
    await hydrated(page);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await expect(nav.getByRole('link', { name: 'Users' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Settings' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Audit' })).toHaveCount(0);
    await page.goto('/settings');
    await expect(page.getByText('You do not have access')).toBeVisible();
  });
});
