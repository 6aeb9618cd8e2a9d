import { test, expect, hydrated, signIn, useSession, VIEWER_SESSION } from './fixtures';
import type { Page } from '@playwright/test';

const USER_ID = `e2e-detail-${Date.now().toString(36)}`;

function formWith(page: Page, button: string) {
  return page.locator('form', { has: page.getByRole('button', { name: button }) });
}

async function sanction(page: Page, button: string) {
  const form = formWith(page, button);
  await form.getByLabel('Reason').selectOption('spam');
  await form.getByRole('button', { name: button }).click();
}

test.describe.configure({ mode: 'serial' });

test('the user page shows activity, communities, who flagged, ban history and notes', async ({ page }) => {
  await signIn(page);
  await hydrated(page);
  await page.getByText('New user').click();
  await page.locator('#new-user-id').fill(USER_ID);
  await page.locator('#new-display-name').fill('Detail Member');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page).toHaveURL(new RegExp(`/users/${USER_ID}$`));
  await hydrated(page);

  // A new user has done nothing the console recorded: the profile's update time stands in, labelled.
  await expect(page.getByTestId('last-activity')).toHaveAttribute('data-source', 'profile_update');
  await expect(page.getByTestId('last-activity')).toContainText('profile last updated (no activity recorded)');
  await expect(page.getByTestId('flaggers-note')).toContainText("Social+ does not name a user's flaggers");
  await expect(page.getByRole('heading', { name: 'Communities' })).toBeVisible();
  await expect(page.getByTestId('user-communities-empty')).toHaveText('No community membership found.');
  await expect(page.getByTestId('ban-history-empty')).toBeVisible();

  await sanction(page, 'Ban from the network');
  await expect(page.getByTestId('ban-state')).toHaveText('Yes');
  await sanction(page, 'Lift the ban');
  await expect(page.getByTestId('ban-state')).toHaveText('No');
  const history = page.getByTestId('ban-history').locator('tbody tr');
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toContainText('Unbanned');
  await expect(history.nth(1)).toContainText('Banned until lifted');

  const notes = page.getByTestId('notes-panel');
  await notes.getByLabel('Add a note (only moderators see it)').fill('Asked support to call <b>them</b>');
  await notes.getByRole('button', { name: 'Add note' }).click();
  await expect(notes.locator('.mod-notes__body')).toHaveText('Asked support to call <b>them</b>');
});

test('a viewer reads the ban history and the notes but cannot ban', async ({ page, context, baseURL }) => {
  await useSession(context, VIEWER_SESSION, baseURL);
  await page.goto(`/users/${USER_ID}`);
  await hydrated(page);
  await expect(page.getByTestId('ban-history').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('notes-panel').locator('.mod-notes__body')).toHaveText('Asked support to call <b>them</b>');
  await expect(page.getByRole('heading', { name: 'Ban and sessions' })).toHaveCount(0);
});
