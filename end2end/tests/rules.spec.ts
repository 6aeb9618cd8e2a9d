import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test, expect, hydrated, signIn } from './fixtures';

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
