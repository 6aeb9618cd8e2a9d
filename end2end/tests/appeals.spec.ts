import { test, expect, hydrated, nameCells, useSession, MODERATOR_SESSION, SENIOR_SESSION } from './fixtures';
import type { APIRequestContext } from '@playwright/test';

/** The signed-in user's server-function call, as the hydrated app makes it. */
async function call(request: APIRequestContext, endpoint: string, data: unknown) {
  const response = await request.post(`/api/${endpoint}`, {
    data,
    headers: { 'sec-fetch-site': 'same-origin' },
  });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return response.json();
}

/** A form-encoded server-function call. */
async function callForm(request: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const response = await request.post(`/api/${endpoint}`, {
    form,
    headers: { 'sec-fetch-site': 'same-origin', accept: 'application/json' },
  });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return response.json();
}

test('an appeal against a ban is accepted by a second moderator and the ban is lifted', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  // The first moderator bans a user (picked from the Users list, away from the top rows other
  // specs use) and enters the user's appeal.
  await useSession(context, MODERATOR_SESSION, baseURL);
  await page.goto('/users');
  await hydrated(page);
  const href = await nameCells(page).nth(17).locator('a').getAttribute('href');
  const userId = decodeURIComponent((href ?? '').replace('/users/', ''));
  expect(userId).not.toBe('');
  const report = await call(context.request, 'apply_action', {
    request: {
      target: { type: 'user', id: userId },
      actions: [{ type: 'ban', scope: { type: 'global' }, until: null }],
      reason: { code: 'harassment', text: 'e2e appeal test' },
    },
  });
  for (const step of report.steps) expect(step.outcome.status).toBe('succeeded');
  const appeal = await callForm(context.request, 'file_appeal', {
    user_id: userId,
    message: 'Someone else used my phone <script>alert(1)</script>',
  });
  expect(appeal.acted_by).toBe('e2e-moderator');

  // A senior moderator decides it on the Appeals page.
  const senior = await browser.newContext({ baseURL });
  await useSession(senior, SENIOR_SESSION, baseURL);
  const seniorPage = await senior.newPage();
  await seniorPage.goto('/appeals');
  await hydrated(seniorPage);
  const row = seniorPage.locator(`li[data-testid="appeal"][data-id="${appeal.id}"]`);
  await expect(row).toHaveAttribute('data-status', 'open');
  await expect(row).toBeVisible();
  await expect(row.getByText('Someone else used my phone <script>alert(1)</script>')).toBeVisible();
  await row.getByLabel('Decision note').fill('The account was used by someone else');
  await row.getByRole('button', { name: 'Accept and lift bans' }).click();
  await expect(seniorPage.getByTestId('appeal-decided')).toContainText(`is accepted`);
  await expect(seniorPage.getByTestId('action-report')).toContainText('Done.');
  await expect(row).toHaveAttribute('data-status', 'accepted');

  // The ban is gone upstream.
  const user = await call(senior.request, 'get_user', { user_id: userId });
  expect(user.row.is_global_ban).toBe(false);
  await senior.close();
});
