import { test, expect, hydrated, signIn, useSession, VIEWER_SESSION } from './fixtures';

// Unique per run, so a retry does not trip over the role the first attempt created.
const ROLE = `e2e-roles-${Date.now().toString(36)}`;

test.describe('as an admin', () => {
  // Creating the same role twice is refused on purpose: the 422 answer is expected.
  test.use({ allowedConsoleErrors: [/status of 422/] });

  test('an admin creates, edits and deletes a Social+ role', async ({ page }) => {
    await signIn(page, '/roles');
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Roles' })).toBeVisible();

    const create = page.locator('section.card', { has: page.getByRole('heading', { name: 'Create a role' }) });
    await create.getByLabel('Role id').fill(ROLE);
    await create.getByLabel('Display name').fill('E2E Helper');
    await create.getByLabel('BAN_USER', { exact: true }).check();
    await create.getByRole('button', { name: 'Create role' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Saved role “${ROLE}”` })).toBeVisible();
    const row = page.locator(`tr[data-role="${ROLE}"]`);
    await expect(row.locator('.roles-permissions')).toHaveText('BAN_USER');

    // The same id again is refused next to the field.
    await create.getByLabel('Role id').fill(ROLE);
    await create.getByRole('button', { name: 'Create role' }).click();
    await expect(page.locator('.roles-error[data-field="role_id"]')).toContainText('already exists');

    await row.getByText('Edit', { exact: true }).click();
    await row.getByLabel('BAN_USER', { exact: true }).uncheck();
    await row.getByLabel('EDIT_USER', { exact: true }).check();
    await row.getByRole('button', { name: 'Save role' }).click();
    await expect(page.locator(`tr[data-role="${ROLE}"] .roles-permissions`)).toHaveText('EDIT_USER');

    const edited = page.locator(`tr[data-role="${ROLE}"]`);
    await edited.getByText('Delete', { exact: true }).click();
    await edited.getByLabel(`Type “${ROLE}” to confirm`).fill(ROLE);
    await edited.getByRole('button', { name: 'Delete role' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Deleted role “${ROLE}”` })).toBeVisible();
    await expect(page.locator(`tr[data-role="${ROLE}"]`)).toHaveCount(0);
  });
});

test.describe('as a viewer', () => {
  // The forbidden page is served with status 403, which the browser reports as an error.
  test.use({ allowedConsoleErrors: [/status of 403/] });

  test('a viewer cannot open the roles admin', async ({ page, context, baseURL }) => {
    await useSession(context, VIEWER_SESSION, baseURL);
    await page.goto('/users');
    await hydrated(page);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await expect(nav.getByRole('link', { name: 'Roles' })).toHaveCount(0);
    await page.goto('/roles');
    await expect(page.getByText('You do not have access')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create role' })).toHaveCount(0);
  });
});
