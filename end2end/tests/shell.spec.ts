import { test, expect, hydrated, signIn } from './fixtures';

test('every section is in the navigation and each link opens its page', async ({ page }) => {
  await signIn(page);
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Sections' });
  const sections = ['Queue', 'Users', 'Roles', 'Imports', 'Analytics', 'Reports', 'Events', 'Rules', 'Settings', 'Audit', 'Appeals'];
  for (const section of sections) {
    await expect(nav.getByRole('link', { name: section })).toBeVisible();
  }
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveAttribute('aria-current', 'page');
  for (const section of ['Analytics', 'Reports', 'Events', 'Rules']) {
    await nav.getByRole('link', { name: section }).click();
    await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
    await expect(nav.getByRole('link', { name: section })).toHaveAttribute('aria-current', 'page');
  }
  await expect(page.getByText('Not built yet')).toHaveCount(0);
});

test('the theme follows the system until toggled, and the choice sticks', async ({ page }) => {
  await signIn(page);
  await hydrated(page);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'system');
  await page.getByRole('button', { name: /Theme: system/ }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: /Theme: light/ }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(15, 18, 22)');
});

test.describe('with the operating system in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('the dark theme follows the operating system', async ({ page }) => {
    await page.goto('/login');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 18, 22)');
  });
});

test.describe('a deliberate 404', () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('unknown pages say not found', async ({ page }) => {
    await signIn(page);
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });
});
