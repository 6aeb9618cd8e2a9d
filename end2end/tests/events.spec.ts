import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test, expect, hydrated, signIn } from './fixtures';

/** The console database of the suite's server, set by `cargo xtask e2e`. */
const DATABASE = process.env.CONSOLE_TEST_DATABASE ?? '';

/**
 * Stores an event as the webhook intake does (the columns of migration 0005), through the
 * sqlite3 shell, so the filters can be checked on exactly known events. Real traffic from the
 * stand-in's simulator through the signed intake is `events-simulator.spec.ts`.
 */
function storeEvent(name: string, actor: string, community: string, kind: string, object: string, text: string) {
  const now = Date.now();
  const data = JSON.stringify({ posts: [{ postId: object, postedUserId: actor, data: { text } }] });
  const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
  const sql =
    'INSERT INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, community_id, object_kind, object_id, data) ' +
    `VALUES (${quote(name)}, ${now}, ${Math.floor(now / 86_400_000)}, 'webhook', ${quote(`e2e:${randomUUID()}`)}, ` +
    `${quote(actor)}, ${quote(community)}, ${quote(kind)}, ${quote(object)}, ${quote(data)});`;
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', DATABASE, sql]);
}

test.beforeEach(() => {
  expect(DATABASE, 'run through `cargo xtask e2e`').not.toBe('');
});

test('the live stream shows new events, pauses, filters and opens the payload as text', async ({ page }) => {
  const tag = randomUUID().slice(0, 8);
  storeEvent('v3.post.didCreate', 'e2e-ann', `c-${tag}`, 'post', `old-${tag}`, 'stored before');
  await signIn(page, '/events');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
  await expect(page.locator(`[data-event-name="v3.post.didCreate"]`).first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live:' })).toBeVisible();

  // A new event appears without a reload.
  storeEvent('v3.post.didCreate', 'e2e-ann', `c-${tag}`, 'post', `live-${tag}`, '<b>not markup</b>');
  const live = page.locator('tbody.events-live tr').filter({ hasText: `live-${tag}` });
  await expect(live).toBeVisible();
  await expect(live.getByRole('link', { name: "Open the post's case" })).toHaveAttribute('href', `/queue/case/post/live-${tag}`);

  // The payload is shown as text.
  await live.getByText('Payload').click();
  await expect(live.locator('pre')).toContainText('<b>not markup</b>');
  await expect(live.locator('pre b')).toHaveCount(0);

  // Paused: nothing new arrives; resumed: what arrived meanwhile catches up.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
  storeEvent('v3.post.didCreate', 'e2e-ann', `c-${tag}`, 'post', `paused-${tag}`, 'while paused');
  await page.waitForTimeout(1000);
  await expect(page.locator('tbody.events-live tr').filter({ hasText: `paused-${tag}` })).toHaveCount(0);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('tbody.events-live tr').filter({ hasText: `paused-${tag}` })).toBeVisible();

  // Filtered to a community: other communities' events stay out of the stream and the list.
  await page.getByLabel('Community').fill(`c-${tag}`);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`community=c-${tag}`));
  await hydrated(page);
  await expect(page.getByRole('status').filter({ hasText: 'Live:' })).toBeVisible();
  storeEvent('v3.post.didCreate', 'e2e-bob', `elsewhere-${tag}`, 'post', `other-${tag}`, 'elsewhere');
  storeEvent('v3.post.didCreate', 'e2e-ann', `c-${tag}`, 'post', `mine-${tag}`, 'here');
  await expect(page.locator('tbody.events-live tr').filter({ hasText: `mine-${tag}` })).toBeVisible();
  await expect(page.locator('tr').filter({ hasText: `other-${tag}` })).toHaveCount(0);
});

test('the delivery log is a tab of the events page', async ({ page }) => {
  await signIn(page, '/events?view=deliveries');
  await expect(page.getByRole('link', { name: 'Delivery log' })).toHaveAttribute('aria-current', 'page');
});
