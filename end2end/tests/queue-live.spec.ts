import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, hydrated, useSession, MODERATOR_SESSION } from './fixtures';
import type { Page } from '@playwright/test';

/** The stand-in's admin token: used from node only, never from the browser page. */
const ADMIN_TOKEN = process.env.CONSOLE_TEST_ADMIN_TOKEN ?? '';
/** The console database of the suite's server; its data folder also holds the stand-in's database and the log. */
const DATABASE = process.env.CONSOLE_TEST_DATABASE ?? '';

/** The embedded stand-in's address, from the console's start-up banner in the suite's server log. */
function standinUrl(): string {
  const log = readFileSync(path.join(path.dirname(DATABASE), 'server.log'), 'utf8');
  const found = log.match(/embedded stand-in at (http:\/\/127\.0\.0\.1:\d+)/);
  if (!found) throw new Error('the server log names no embedded stand-in');
  return found[1];
}

/** A published community post nobody flagged and the moderation feed does not hold yet. */
function unflaggedPost(): string {
  const sql =
    "SELECT post_id FROM posts WHERE feed_type = 'published' AND is_deleted = 0 AND flag_count = 0 " +
    "AND parent_post_id IS NULL AND target_type = 'community' " +
    'AND post_id NOT IN (SELECT content_id FROM moderation_feed) ORDER BY random() LIMIT 1;';
  const standinDb = path.join(path.dirname(DATABASE), 'standin.sqlite');
  const id = execFileSync('sqlite3', ['-readonly', '-cmd', '.timeout 5000', standinDb, sql]).toString().trim();
  expect(id, 'the seed has an unflagged post').not.toBe('');
  return id;
}

/** Flags `postId` on the stand-in as a member would; the stand-in delivers the webhook to the console. */
async function flagOnStandin(postId: string) {
  const response = await fetch(`${standinUrl()}/api/v3/posts/${encodeURIComponent(postId)}/flag`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'e2e: live queue' }),
  });
  expect(response.status).toBe(200);
}

function rows(page: Page) {
  return page.locator('table.queue-table tbody tr');
}

function currentRow(page: Page) {
  return page.locator('table.queue-table tbody tr[aria-current="true"]');
}

test.beforeEach(() => {
  expect(DATABASE, 'run through `cargo xtask e2e`').not.toBe('');
});

test('a flag on Social+ shows as "1 new" through its webhook event, not a poll, and the cursor stays', async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(60_000);
  await useSession(context, MODERATOR_SESSION, baseURL);
  const reads: number[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/list_queue')) reads.push(Date.now());
  });
  await page.goto('/queue?type=post&sort=last_flagged');
  await hydrated(page);
  // The moderator may read the queue, so the stream opens.
  await expect(page.locator('[data-live-status]')).toHaveAttribute('data-live-status', 'live');
  await expect(rows(page).nth(3)).toBeVisible();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  const underCursor = await currentRow(page).getAttribute('data-key');
  expect(underCursor).toBeTruthy();

  // Longer than the old 5 s poll: with the stream live and nothing happening, the page does
  // not read the queue at all.
  await page.waitForTimeout(6_000);
  expect(reads, 'no list_queue call while nothing happens').toEqual([]);

  const postId = unflaggedPost();
  const flaggedAt = Date.now();
  await flagOnStandin(postId);
  const counter = page.getByRole('button', { name: '1 new' });
  await expect(counter).toBeVisible();
  expect(reads.length, 'the event made the page read the queue').toBeGreaterThanOrEqual(1);
  // Read because of the event (coalesced for 0.5 s), well before the slow poll would.
  expect(reads[0] - flaggedAt).toBeLessThan(5_000);
  await expect(currentRow(page)).toHaveAttribute('data-key', underCursor ?? '');

  await counter.click();
  await expect(counter).toBeHidden();
  await expect(rows(page).first()).toHaveAttribute('data-key', `post:${postId}`);
  await expect(currentRow(page)).toHaveAttribute('data-key', underCursor ?? '');
});
