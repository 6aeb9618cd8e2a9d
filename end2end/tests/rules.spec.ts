import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test, expect, hydrated, signIn, useSession, VIEWER_SESSION } from './fixtures';

const DATABASE = process.env.CONSOLE_TEST_DATABASE ?? '';

/** Stores a post event in a community (as events.spec.ts does; see there why). */
function storePost(community: string, object: string) {
  const now = Date.now();
  const data = JSON.stringify({ posts: [{ postId: object, data: { text: 'rule test' } }] });
  const sql =
    'INSERT INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, community_id, object_kind, object_id, data) ' +
    `VALUES ('v3.post.didCreate', ${now}, ${Math.floor(now / 86_400_000)}, 'webhook', 'e2e:${randomUUID()}', ` +
    `'e2e-ann', '${community}', 'post', '${object}', '${data}');`;
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', DATABASE, sql]);
}

test('a rule is dry-run over stored events before it can be enabled', async ({ page }) => {
  expect(DATABASE, 'run through `cargo xtask e2e`').not.toBe('');
  const tag = randomUUID().slice(0, 8);
  storePost(`c-${tag}`, `p1-${tag}`);
  storePost(`c-${tag}`, `p2-${tag}`);
  storePost(`other-${tag}`, `p3-${tag}`);
  const name = `watch ${tag}`;

  await signIn(page, '/rules');
  await hydrated(page);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('When this event happens').fill('v3.post.didCreate');
  await page.getByLabel(/And these conditions hold/).fill(`community is c-${tag}`);
  await page.getByLabel('Then').selectOption('open_case');
  await page.getByRole('button', { name: 'Create rule (disabled)' }).click();
  await expect(page.getByText(/Rule \d+ created/)).toBeVisible();

  const card = page.locator('.rules-card').filter({ hasText: name });
  await expect(card).toHaveAttribute('data-rule-state', 'disabled');
  await expect(card.getByRole('button', { name: `Enable “${name}”` })).toBeDisabled();

  await card.getByRole('button', { name: `Dry run “${name}”` }).click();
  const result = page.locator('.rules-dry-run');
  await expect(result.getByRole('status')).toContainText('2 matched. Nothing was done.');
  await expect(result).toContainText(`would open a case for post p2-${tag}`);
  await expect(result).not.toContainText(`p3-${tag}`);

  const enable = page.locator('.rules-card').filter({ hasText: name }).getByRole('button', { name: `Enable “${name}”` });
  await expect(enable).toBeEnabled();
  await enable.click();
  await expect(page.locator('.rules-card').filter({ hasText: name })).toHaveAttribute('data-rule-state', 'enabled');
});

/** Creates a disabled rule through the form on /rules and opens its page. */
async function createAndOpen(page: import('@playwright/test').Page, name: string, conditions: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('When this event happens').fill('v3.post.didCreate');
  await page.getByLabel(/And these conditions hold/).fill(conditions);
  await page.getByLabel('Then').selectOption('open_case');
  await page.getByRole('button', { name: 'Create rule (disabled)' }).click();
  await page.getByRole('link', { name: `Open “${name}”` }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('an edited rule is disabled until dry-run again, then its runs fill its history', async ({ page }) => {
  expect(DATABASE, 'run through `cargo xtask e2e`').not.toBe('');
  const tag = randomUUID().slice(0, 8);
  await signIn(page, '/rules');
  await hydrated(page);
  await createAndOpen(page, `edit ${tag}`, `community is c-${tag}`);
  await page.getByRole('button', { name: `Dry run “edit ${tag}”` }).click();
  await page.getByRole('button', { name: `Enable “edit ${tag}”` }).click();
  const heading = page.locator('h1[data-rule-state]');
  await expect(heading).toHaveAttribute('data-rule-state', 'enabled');

  const name = `edited ${tag}`;
  await page.getByText('Edit rule').click();
  await page.getByLabel('Name').fill(name);
  // Checked in the browser first (the same check as the server's): nothing is posted.
  await page.getByLabel(/And these conditions hold/).fill('colour is red');
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.locator('#edit-rule-conditions-error')).toContainText('“colour” is not a field');
  await expect(page.getByLabel(/And these conditions hold/)).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel(/And these conditions hold/).fill(`community is d-${tag}`);
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('disabled until its new definition is dry-run');
  await expect(heading).toHaveAttribute('data-rule-state', 'disabled');
  await expect(heading).toContainText(name);
  await expect(page.getByText('Not dry-run since its definition was set: run one before enabling.')).toBeVisible();
  await expect(page.getByRole('button', { name: `Enable “${name}”` })).toBeDisabled();
  await expect(page.getByText(`When v3.post.didCreate where community is d-${tag}, open a case in the queue.`)).toBeVisible();

  await page.getByRole('button', { name: `Dry run “${name}”` }).click();
  await expect(page.locator('.rules-dry-run').getByRole('status')).toContainText('0 matched. Nothing was done.');
  await page.getByRole('button', { name: `Enable “${name}”` }).click();
  await expect(heading).toHaveAttribute('data-rule-state', 'enabled');
  await expect(page.getByText('No runs yet.')).toBeVisible();

  storePost(`d-${tag}`, `p-${tag}`);
  const done = page.locator('.rules-runs tr[data-run-state="done"]');
  await expect(async () => {
    await page.reload();
    await expect(done).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(done).toContainText(`Done: opened a case for post p-${tag}.`);
  await expect(page.locator('.rules-card__runs')).toContainText('Runs: 1 done, 0 failed, 0 running; last run');
  const event = done.getByRole('link');
  await expect(event).toHaveAttribute('href', /^\/events\?type=v3\.post\.didCreate&before=\d+$/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the edit form posts and shows a field error under its field', async ({ page }) => {
    const tag = randomUUID().slice(0, 8);
    await signIn(page, '/rules');
    await createAndOpen(page, `nojs ${tag}`, `community is c-${tag}`);
    await page.getByText('Edit rule').click();
    await page.getByLabel('Then').selectOption('ban');
    // Longer than a rule may ban: the browser lets it through (no max), the server does not.
    await page.getByLabel(/Ban length in minutes/).fill('200000');
    await page.getByRole('button', { name: 'Save rule' }).click();
    const minutes = page.getByLabel(/Ban length in minutes/);
    await expect(minutes).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#edit-rule-minutes-error')).toHaveText(/The ban lasts 1 to \d+ minutes\./);

    // The page was rendered again, the form open, from the stored rule: choose the action again.
    await expect(page.locator('details.rules-edit')).toHaveAttribute('open', '');
    await page.getByLabel('Then').selectOption('ban');
    await minutes.fill('45');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await expect(page.getByText(`When v3.post.didCreate where community is c-${tag}, ban the author for 45 minutes.`)).toBeVisible();
    await expect(page.locator('h1[data-rule-state]')).toHaveAttribute('data-rule-state', 'disabled');
  });
});

test.describe('as a viewer', () => {
  test.use({ allowedConsoleErrors: [/status of 403/] }); // the forbidden page answers 403, which the browser logs

  test('a viewer sees no rules and no edit controls', async ({ page, context, baseURL }) => {
    await useSession(context, VIEWER_SESSION, baseURL);
    for (const path of ['/rules/1', '/rules']) {
      await page.goto(path);
      await hydrated(page);
      await expect(page.getByText('You do not have access')).toBeVisible();
      await expect(page.getByText('Edit rule')).toHaveCount(0);
      await expect(page.getByRole('link', { name: /^Open “/ })).toHaveCount(0);
      await expect(page.getByRole('button', { name: /^(Dry run|Enable|Disable|Delete) “/ })).toHaveCount(0);
      await expect(page.getByRole('button', { name: /^(Save rule|Create rule)/ })).toHaveCount(0);
    }
  });
});
