import { test, expect, hydrated, signIn, useSession, VIEWER_SESSION } from './fixtures';
import type { Page } from '@playwright/test';

// Each test creates its own member (unique id), so no test depends on another's changes.
function freshId(label: string) {
  return `e2e-${label}-${Date.now().toString(36)}`;
}

async function createUser(page: Page, userId: string, name: string) {
  await page.goto('/users');
  await hydrated(page);
  await page.getByText('New user').click();
  await page.locator('#new-user-id').fill(userId);
  await page.locator('#new-display-name').fill(name);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page).toHaveURL(new RegExp(`/users/${userId}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await hydrated(page);
}

function formWith(page: Page, button: string) {
  return page.locator('form', { has: page.getByRole('button', { name: button }) });
}

async function sanction(page: Page, button: string) {
  const form = formWith(page, button);
  await form.getByLabel('Reason').selectOption('spam');
  await form.getByRole('button', { name: button }).click();
}

test.describe('an admin', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('creates a user through the API key and lands on their page', async ({ page }) => {
    const id = freshId('create');
    await createUser(page, id, 'Created Member');
    await expect(page.getByRole('heading', { name: 'Edit user' })).toBeVisible();
    await expect(page.getByTestId('ban-state')).toHaveText('No');
  });

  test('edits metadata: invalid JSON is refused in place, valid JSON is saved', async ({ page }) => {
    const id = freshId('meta');
    await createUser(page, id, 'Meta Member');
    const editor = page.getByLabel('Metadata (JSON object)');
    await editor.fill('{"plan": "pro",');
    await expect(page.locator('#edit-metadata-status')).toContainText('This is not valid JSON');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.locator('#metadata-error')).toContainText('This is not valid JSON');
    await expect(page.getByTestId('metadata')).not.toContainText('plan');

    await editor.fill('{"plan": "pro"}');
    await expect(page.locator('#edit-metadata-status')).toContainText('Valid JSON');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByText('Profile saved.')).toBeVisible();
    await expect(page.getByTestId('metadata')).toContainText('"plan": "pro"');
  });

  test('bans and unbans a user', async ({ page }) => {
    const id = freshId('ban');
    await createUser(page, id, 'Ban Member');
    await sanction(page, 'Ban from the network');
    await expect(page.getByTestId('ban-state')).toHaveText('Yes');
    await sanction(page, 'Lift the ban');
    await expect(page.getByTestId('ban-state')).toHaveText('No');
    await expect(page.getByRole('heading', { name: 'History in the audit trail' })).toBeVisible();
  });

  test('a timed ban ends by itself', async ({ page }) => {
    test.setTimeout(90_000);
    const id = freshId('timed');
    await createUser(page, id, 'Timed Member');
    const form = formWith(page, 'Ban for a time');
    await form.getByLabel('Ban for').fill('10');
    await form.getByLabel('Unit').selectOption('seconds');
    await sanction(page, 'Ban for a time');
    await expect(page.getByTestId('ban-state')).toHaveText('Yes');
    await expect(page.getByTestId('timed-bans')).toContainText('global until');
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('ban-state').textContent();
        },
        { timeout: 45_000, intervals: [2_000] },
      )
      .toBe('No');
  });

  test('signs a user out everywhere', async ({ page }) => {
    const id = freshId('revoke');
    await createUser(page, id, 'Revoke Member');
    await sanction(page, 'Sign out everywhere');
    await expect(page.getByTestId('action-report')).toContainText('Done.');
  });

  test('deletes a user only after the user id is typed', async ({ page }) => {
    const id = freshId('delete');
    await createUser(page, id, 'Delete Member');
    const confirm = page.getByLabel(`Type the user id “${id}” to confirm`);
    await confirm.fill('not the id');
    await page.getByRole('button', { name: 'Delete user' }).click();
    await expect(page.locator('#delete-confirmation-error')).toContainText('exactly to confirm');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Delete Member');

    await confirm.fill(id);
    await page.getByRole('button', { name: 'Delete user' }).click();
    await expect(page.getByText('This user is deleted; nothing more can be changed.')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Deleted');
  });
});

test.describe('a viewer', () => {
  test('sees no forms, and the server refuses the same operations', async ({ page, context, baseURL }) => {
    await useSession(context, VIEWER_SESSION, baseURL);
    await page.goto('/users');
    await hydrated(page);
    await expect(page.getByText('New user')).toHaveCount(0);
    await page.locator('table tbody th a').first().click();
    await expect(page.getByRole('heading', { name: 'Profile' })).toBeVisible();
    for (const heading of ['Edit user', 'Delete user', 'Ban and sessions']) {
      await expect(page.getByRole('heading', { name: heading })).toHaveCount(0);
    }
    const userId = (await page.locator('.page__lede code').textContent()) ?? '';
    const origin = new URL(baseURL ?? '').origin;
    for (const [endpoint, form] of [
      ['user_create', { user_id: freshId('viewer'), display_name: 'Nope', description: '', metadata: '' }],
      ['user_delete', { user_id: userId, confirmation: userId }],
      ['user_sanction', { user_id: userId, action: 'ban', reason_code: 'spam' }],
      ['user_sanction', { user_id: userId, action: 'revoke_sessions', reason_code: 'spam' }],
      ['user_clear_flags', { user_id: userId }],
    ] as const) {
      const response = await page.request.post(`/api/${endpoint}`, {
        form,
        headers: { origin, 'sec-fetch-site': 'same-origin', accept: 'application/json' },
      });
      expect(response.status(), endpoint).toBe(403);
    }
    await page.reload();
    await expect(page.getByTestId('ban-state')).toHaveText(/No|Yes/);
  });
});
