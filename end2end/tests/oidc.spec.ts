import { test, expect, hydrated } from './fixtures';

// A second console, started by `cargo xtask e2e`, signs in through a local OpenID provider
// (PyPI oidc-provider-mock) that knows `alice` in the group `console-admins`.
const SSO = process.env.SSO_BASE_URL ?? '';

test.beforeEach(async ({ page }) => {
  if (!SSO) throw new Error('run through `cargo xtask e2e` (SSO_BASE_URL unset)');
  // The provider's pages link a stylesheet on a CDN; the suite stays on loopback.
  await page.route('https://cdn.jsdelivr.net/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/css', body: '' }),
  );
});

test('sign in through the OpenID provider, land where you were going, and sign out there too', async ({ page }) => {
  await page.goto(`${SSO}/users?q=an`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();

  await expect(page.getByRole('heading', { name: 'Authorize Client' })).toBeVisible();
  await page.getByRole('button', { name: 'alice', exact: true }).click();

  await expect(page).toHaveURL(`${SSO}/users?q=an`);
  await hydrated(page);
  await expect(page.getByText('Alice Admin').first()).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/oauth2\/end_session\?/);
  await expect(page.getByRole('heading', { name: 'End Session' })).toBeVisible();
  await page.goto(`${SSO}/users`);
  await expect(page).toHaveURL(/\/login/);
});
