import {
  test,
  expect,
  hydrated,
  nameCells,
  useSession,
  MODERATOR_SESSION,
  MODERATOR2_SESSION,
} from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';

/** The signed-in user's server-function call, as the hydrated app makes it. */
async function call(request: APIRequestContext, endpoint: string, data: unknown) {
  const response = await request.post(`/api/${endpoint}`, {
    data,
    headers: { 'sec-fetch-site': 'same-origin' },
  });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return response.json();
}

function rows(page: Page) {
  return page.locator('table.queue-table tbody tr');
}

/** The key and case-view link of the `n`th row of a queue URL. */
async function caseAt(page: Page, url: string, n: number) {
  await page.goto(url);
  await hydrated(page);
  const row = rows(page).nth(n);
  await expect(row).toBeVisible();
  const key = (await row.getAttribute('data-key')) ?? '';
  const href = (await row.locator('a').first().getAttribute('href')) ?? '';
  expect(key).not.toBe('');
  return { key, href };
}

test('two moderators on one case: the second sees the claim, takes over explicitly, the first sees it go', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  await useSession(context, MODERATOR_SESSION, baseURL);
  const { key, href } = await caseAt(page, '/queue?type=post&sort=oldest', 4);
  await page.goto(href);
  await hydrated(page);
  const mine = page.getByTestId('case-claim');
  await expect(mine.getByText('Nobody is on this case.')).toBeVisible();
  await mine.getByRole('button', { name: 'Claim', exact: true }).click();
  await expect(mine.getByTestId('claim-badge')).toHaveText('You are on it');

  const second = await browser.newContext({ baseURL });
  await useSession(second, MODERATOR2_SESSION, baseURL);
  const other = await second.newPage();
  // The queue shows who is on each case.
  await other.goto('/queue?type=post&sort=oldest');
  await hydrated(other);
  await expect(other.locator(`tr[data-key="${key}"] [data-testid="claim-badge"]`)).toHaveText(
    'E2E e2e-moderator is on it',
  );
  // The case view offers no plain claim, only an explicit takeover.
  await other.goto(href);
  await hydrated(other);
  const theirs = other.getByTestId('case-claim');
  await expect(theirs.getByTestId('claim-badge')).toHaveText('E2E e2e-moderator is on it');
  await expect(theirs.getByRole('button', { name: 'Claim', exact: true })).toHaveCount(0);
  await theirs.getByRole('button', { name: 'Take over from E2E e2e-moderator' }).click();
  await expect(theirs.getByTestId('claim-badge')).toHaveText('You are on it');
  await expect(theirs.getByText('You took the case over from E2E e2e-moderator.')).toBeVisible();

  // The first moderator's page polls: the case is no longer theirs.
  await expect(mine.getByTestId('claim-badge')).toHaveText('E2E e2e-moderator-2 is on it', { timeout: 15_000 });
  await expect(mine.getByRole('button', { name: /^Take over from/ })).toBeVisible();

  // Released, it is free again for everyone.
  await theirs.getByRole('button', { name: 'Release' }).click();
  await expect(theirs.getByText('Nobody is on this case.')).toBeVisible();
  await second.close();
});

test('notes on a case and on its author are kept apart and shown as text', async ({ page, context, baseURL }) => {
  await useSession(context, MODERATOR_SESSION, baseURL);
  const { key, href } = await caseAt(page, '/queue?type=comment&sort=last_flagged', 3);
  await page.goto(href);
  await hydrated(page);
  const caseNotes = page.locator(`[data-testid="notes-panel"][data-subject="${key}"]`);
  const authorNotes = page.locator('[data-testid="notes-panel"][data-subject^="user:"]');
  await expect(caseNotes.getByRole('heading', { name: 'Notes on this case' })).toBeVisible();
  await expect(authorNotes.getByRole('heading', { name: 'Notes on the author' })).toBeVisible();

  const caseNote = `Checked the thread <b>twice</b> ${Date.now()}`;
  await caseNotes.getByLabel('Add a note').fill(caseNote);
  await caseNotes.getByRole('button', { name: 'Add note' }).click();
  await expect(caseNotes.locator('.mod-notes__body').last()).toHaveText(caseNote);
  expect(await caseNotes.locator('.mod-notes__body b').count()).toBe(0);

  const authorNote = `Third report this month ${Date.now()}`;
  await authorNotes.getByLabel('Add a note').fill(authorNote);
  await authorNotes.getByRole('button', { name: 'Add note' }).click();
  await expect(authorNotes.locator('.mod-notes__body').last()).toHaveText(authorNote);
  await expect(caseNotes.getByText(authorNote)).toHaveCount(0);

  // Stored: a reload shows both, each with its author.
  await page.reload();
  await hydrated(page);
  await expect(caseNotes.locator('.mod-notes__note').last()).toContainText(caseNote);
  await expect(caseNotes.locator('.mod-notes__meta').last()).toContainText('E2E e2e-moderator');
  await expect(authorNotes.locator('.mod-notes__note').last()).toContainText(authorNote);
});

test('the Reviewed tab lists action records filtered by moderator, action and date, with and without WASM', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  await useSession(context, MODERATOR_SESSION, baseURL);
  await page.goto('/users');
  await hydrated(page);
  const userAt = async (n: number) => {
    const href = (await nameCells(page).nth(n).locator('a').getAttribute('href')) ?? '';
    return decodeURIComponent(href.replace('/users/', ''));
  };
  const [first, second] = [await userAt(21), await userAt(22)];
  const warn = (userId: string) => ({
    request: {
      target: { type: 'user', id: userId },
      actions: [{ type: 'warn', template: 'spam', message: 'Please stop posting links.' }],
      reason: { code: 'spam', text: 'e2e reviewed tab' },
    },
  });
  await call(context.request, 'apply_action', warn(first));
  const other = await browser.newContext({ baseURL });
  await useSession(other, MODERATOR2_SESSION, baseURL);
  await call(other.request, 'apply_action', warn(second));
  await other.close();

  const reviewed = page.getByTestId('reviewed-row');
  await page.goto('/queue?tab=reviewed');
  await hydrated(page);
  await expect(page.getByRole('table', { name: 'Reviewed cases' })).toBeVisible();
  await expect(reviewed.filter({ hasText: `user:${first}` })).toHaveCount(1);
  await expect(reviewed.filter({ hasText: `user:${second}` })).toHaveCount(1);

  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('Moderator', { exact: true }).fill('e2e-moderator');
  await page.getByLabel('Action', { exact: true }).selectOption('warn');
  await page.getByLabel('From', { exact: true }).fill(today);
  await page.getByLabel('To', { exact: true }).fill(today);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/tab=reviewed/);
  await expect(page).toHaveURL(/moderator=e2e-moderator(&|$)/);
  await expect(page).toHaveURL(/action=warn/);
  await expect(page).toHaveURL(new RegExp(`from=${today}`));
  await expect(reviewed.filter({ hasText: `user:${first}` })).toHaveCount(1);
  await expect(reviewed.filter({ hasText: `user:${second}` })).toHaveCount(0);
  for (const actor of await reviewed.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-actor')))) {
    expect(actor).toBe('e2e-moderator');
  }
  for (const codes of await reviewed.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-actions') ?? ''))) {
    expect(codes.split(',')).toContain('warn');
  }
  // A range that ended before today holds none of it.
  await page.goto('/queue?tab=reviewed&moderator=e2e-moderator&to=2020-01-01');
  await expect(page.getByText('No reviewed cases match.')).toBeVisible();

  // Without JavaScript the filters are a plain GET form.
  const plain = await browser.newContext({ baseURL, javaScriptEnabled: false });
  await useSession(plain, MODERATOR2_SESSION, baseURL);
  const noWasm = await plain.newPage();
  await noWasm.goto('/queue?tab=reviewed');
  await noWasm.getByLabel('Moderator', { exact: true }).fill('e2e-moderator-2');
  await noWasm.getByRole('button', { name: 'Apply' }).click();
  await expect(noWasm).toHaveURL(/moderator=e2e-moderator-2/);
  const plainRows = noWasm.getByTestId('reviewed-row');
  await expect(plainRows.filter({ hasText: `user:${second}` })).toHaveCount(1);
  await expect(plainRows.filter({ hasText: `user:${first}` })).toHaveCount(0);
  await plain.close();
});

test('bulk "all matching" previews every case of the filters on screen before anything is sent', async ({
  page,
  context,
  baseURL,
}) => {
  await useSession(context, MODERATOR_SESSION, baseURL);
  await page.goto('/queue?type=comment&min_flags=2');
  await hydrated(page);
  await expect(rows(page).first()).toBeVisible();
  const count = Number(((await page.locator('.queue-bar__count').textContent()) ?? '').match(/^(\d+)/)?.[1]);
  expect(count).toBeGreaterThan(0);
  await page.getByLabel('Why').selectOption('spam');
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Why')).not.toBeFocused();
  await page.getByRole('button', { name: `Select all ${count}` }).click();
  await expect(page.locator('.queue-bar__count')).toContainText('matching selected');
  await page.keyboard.press('d');
  const preview = page.getByTestId('bulk-preview');
  await expect(preview.getByRole('heading', { name: `All matching: ${count} cases` })).toBeVisible();
  await expect(preview).toContainText('calls to Social+');
  await expect(preview.locator('li').first()).toContainText('Delete comment');
  // Cancelled: nothing was sent, the rows are all still there.
  await preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(preview).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.queue-bar__count')).toContainText(`${count}`);
});
