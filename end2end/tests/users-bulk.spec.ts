import { test, expect, hydrated, signIn, useSession, MODERATOR_SESSION, VIEWER_SESSION } from './fixtures';
import type { Locator, Page } from '@playwright/test';

// Unique per run, so a retry does not find the role already on the users.
const ROLE = `e2e-bulk-${Date.now().toString(36)}`;

/** The Users table (the page also holds the bulk preview and result tables). */
function usersTable(page: Page) {
  return page.locator('table', { has: page.locator('caption', { hasText: /^Users, / }) });
}

/** The row of `table` whose `<code>` cell is exactly `id`. */
function rowOf(table: Locator, id: string) {
  const exact = new RegExp('^' + id.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&') + '$');
  return table.locator('tbody tr').filter({ has: table.page().locator('td code', { hasText: exact }) });
}

test('an admin adds a role to three selected users and sees a result for each', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, '/roles');
  await hydrated(page);
  const create = page.locator('section.card', { has: page.getByRole('heading', { name: 'Create a role' }) });
  await create.getByLabel('Role id').fill(ROLE);
  await create.getByLabel('BAN_USER', { exact: true }).check();
  await create.getByRole('button', { name: 'Create role' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Saved role “${ROLE}”` })).toBeVisible();

  await page.goto('/users');
  await hydrated(page);
  const rows = usersTable(page).locator('tbody tr');
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    ids.push(((await rows.nth(i).locator('td code').first().textContent()) ?? '').trim());
    await rows.nth(i).getByTestId('select-user').check();
  }
  await expect(page.getByTestId('bulk-count')).toHaveText('3 users selected.');

  await page.getByLabel('Action', { exact: true }).selectOption('add_role');
  await page.getByLabel('Role id').fill(ROLE);
  await page.getByTestId('users-bulk').getByLabel('Why').selectOption('other');
  await page.getByTestId('users-bulk').getByLabel('Details (required for “Other”)').fill('e2e bulk role');
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('bulk-preview');
  await expect(preview.locator('tbody tr')).toHaveCount(3);
  for (const id of ids) await expect(rowOf(preview, id)).toContainText(ROLE);
  await expect(page.getByTestId('bulk-preview-summary')).toContainText('at most 6 calls to Social+');

  await page.getByTestId('bulk-submit').click();
  await expect(page.getByTestId('job-state')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  const results = page.getByTestId('bulk-results');
  await expect(results.locator('tbody tr[data-status="done"]')).toHaveCount(3);
  for (const id of ids) await expect(rowOf(results, id)).toContainText(ROLE);

  // The table reloads when the job is done: the role shows on each user.
  for (const id of ids) {
    await expect(rowOf(usersTable(page), id).locator('.badge', { hasText: ROLE })).toBeVisible();
  }
  // Each user's change is in their own history.
  await page.goto(`/users/${encodeURIComponent(ids[0])}`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'History in the audit trail' })).toBeVisible();
  await expect(page.locator('.users-audit code', { hasText: 'user_roles_add' })).toHaveCount(1);
});

test('a moderator is offered only ban, unban and revoke sessions', async ({ page, context, baseURL }) => {
  await useSession(context, MODERATOR_SESSION, baseURL);
  await page.goto('/users');
  await hydrated(page);
  await expect(page.getByTestId('select-user').first()).toBeVisible();
  const options = await page.getByLabel('Action', { exact: true }).locator('option').allTextContents();
  expect(options).toEqual(['Ban', 'Unban', 'Revoke sessions']);
});

test('a viewer sees no bulk controls and is refused by the server', async ({ page, context, baseURL }) => {
  await useSession(context, VIEWER_SESSION, baseURL);
  await page.goto('/users');
  await hydrated(page);
  await expect(usersTable(page).locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('select-user')).toHaveCount(0);
  await expect(page.getByTestId('users-bulk')).toHaveCount(0);
  const origin = new URL(baseURL ?? '').origin;
  for (const [endpoint, action] of [
    ['preview_user_bulk', 'ban'],
    ['submit_user_bulk', 'ban'],
    ['submit_user_bulk', 'add_role'],
  ]) {
    const response = await page.request.post(`/api/${endpoint}`, {
      data: { request: { user_ids: ['anyone'], action, role: 'vip', reason: { code: 'spam', text: '' } } },
      headers: { origin, 'sec-fetch-site': 'same-origin' },
    });
    expect(response.status(), `${endpoint} ${action}`).toBe(403);
  }
});
