import { test, expect, hydrated, signIn } from './fixtures';
import type { Page } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  await signIn(page, '/queue');
  await hydrated(page);
});

function rows(page: Page) {
  return page.locator('table.queue-table tbody tr');
}

function currentRow(page: Page) {
  return page.locator('table.queue-table tbody tr[aria-current="true"]');
}

test('the queue lists cases with tabs and filters that live in the URL', async ({ page }) => {
  await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
  await expect(rows(page).first()).toBeVisible();
  for (const column of ['Type', 'Content', 'Author', 'Community', 'Flags', 'AI', 'Last flagged']) {
    await expect(page.getByRole('columnheader', { name: column })).toBeVisible();
  }
  await page.getByLabel('Type').selectOption('comment');
  await expect(page).toHaveURL(/type=comment/);
  // The URL changes before the list is replaced: wait for the filtered rows, then check all.
  const kinds = rows(page).locator('td:nth-child(2) .badge:first-child');
  await expect(kinds.first()).toHaveText('comment');
  await expect(kinds.filter({ hasNotText: /^comment$/ })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Type')).toHaveValue('comment');
  await page.getByRole('link', { name: 'Pending approval' }).click();
  await expect(page).toHaveURL(/tab=pending/);
  await expect(rows(page).first().getByText('Pending')).toBeVisible();
});

/** Picks the "Spam" reason with the keyboard: an action without a reason focuses the picker. */
async function pickReasonByKeyboard(page: Page) {
  await page.keyboard.press('a');
  await expect(page.getByText('Choose a reason first.')).toBeVisible();
  await expect(page.getByLabel('Why')).toBeFocused();
  await page.keyboard.press('s');
  await expect(page.getByLabel('Why')).toHaveValue('spam');
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Why')).not.toBeFocused();
}

test('triage 20 cases keyboard-only: act and next, focus stays on the next case', async ({ page }) => {
  await page.goto('/queue?type=comment&sort=newest');
  await hydrated(page);
  await expect(rows(page).nth(21)).toBeVisible();
  const keys = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key') ?? ''));
  // Act-and-next does not wait for the server; count the answers so the reload below does
  // not abort actions still in flight.
  const answered: number[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/api/apply_action')) answered.push(response.status());
  });
  await pickReasonByKeyboard(page);

  for (let i = 0; i < 20; i += 1) {
    await expect(currentRow(page)).toHaveAttribute('data-key', keys[i]);
    await page.keyboard.press(i % 4 === 3 ? 'd' : 'a');
    // The next case becomes current at once, and has the focus.
    await expect(currentRow(page)).toHaveAttribute('data-key', keys[i + 1]);
    await expect(currentRow(page)).toBeFocused();
  }
  await expect(page.getByText(/^(Kept|Deleted) comment .*\.$/)).toBeVisible();
  await expect.poll(() => answered.length, { timeout: 15_000 }).toBe(20);
  expect(answered.every((status) => status === 200)).toBe(true);

  // Social+ has them as reviewed: none of the 20 is in the queue any more.
  await page.reload();
  await hydrated(page);
  const after = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key') ?? ''));
  for (const key of keys.slice(0, 20)) expect(after).not.toContain(key);
  expect(after).toContain(keys[20]);
});

test('selection, range selection, shortcuts dialog, search and open, by keyboard', async ({ page }) => {
  await expect(rows(page).nth(12)).toBeVisible();
  const keys = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key') ?? ''));
  for (let i = 0; i < 10; i += 1) {
    if (i % 2 === 0) await page.keyboard.press('x');
    await page.keyboard.press('j');
    await expect(currentRow(page)).toHaveAttribute('data-key', keys[i + 1]);
  }
  await expect(page.getByText('5 selected')).toBeVisible();
  await page.keyboard.press('k');
  await page.keyboard.press('Shift+X');
  await expect(page.locator('tr[aria-selected="true"]')).toHaveCount(6);
  await page.keyboard.press('Escape');
  await expect(page.locator('tr[aria-selected="true"]')).toHaveCount(0);

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('searchbox', { name: 'Search' })).not.toBeFocused();

  await page.keyboard.press('o');
  await expect(page).toHaveURL(/\/queue\/case\/(post|comment|message|user)\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Case:');
  await expect(page.getByRole('heading', { name: 'Author', exact: true })).toBeVisible();
});

test('a bulk delete waits out its undo window: undone, nothing changes; left alone, it runs', async ({ page }) => {
  await page.goto('/queue?type=comment&sort=oldest');
  await hydrated(page);
  await expect(rows(page).nth(6)).toBeVisible();
  const keys = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key') ?? ''));
  // Act-and-next does not wait for the server; count the answers so the reload below does
  // not abort actions still in flight.
  const answered: number[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/api/apply_action')) answered.push(response.status());
  });
  await pickReasonByKeyboard(page);

  // Select three, delete, undo inside the window.
  for (let i = 0; i < 3; i += 1) {
    await page.keyboard.press('x');
    await page.keyboard.press('j');
  }
  await page.keyboard.press('d');
  await expect(page.getByText('Deleted 3 cases in 5 s. Press u to undo.')).toBeVisible();
  await expect(rows(page).first()).not.toHaveAttribute('data-key', keys[0]);
  await page.keyboard.press('u');
  await expect(page.getByText('Undone: nothing was sent.')).toBeVisible();
  await expect(rows(page).first()).toHaveAttribute('data-key', keys[0]);

  // The same three again, left alone: after the window the job deletes them.
  await expect(currentRow(page)).toHaveAttribute('data-key', keys[0]);
  for (let i = 0; i < 3; i += 1) {
    await page.keyboard.press('x');
    await page.keyboard.press('j');
  }
  await expect(page.getByText('3 selected')).toBeVisible();
  await page.keyboard.press('d');
  await expect(page.getByText('Deleted 3 cases in 5 s. Press u to undo.')).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.reload();
        await hydrated(page);
        const now = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key') ?? ''));
        return keys.slice(0, 3).filter((key) => now.includes(key)).length;
      },
      { timeout: 25_000, intervals: [3_000] },
    )
    .toBe(0);
});

test('a post body with <script> renders as text and triggers no CSP violation', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(e.violatedDirective));
  });
  const hostile = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"><b>bold</b>';
  // The browser renders whatever the case server function answers; its answer carries the
  // hostile text as a post body would.
  await page.route('**/api/get_case', async (route) => {
    const response = await route.fetch();
    const detail = await response.json();
    detail.thread = detail.thread.map((item: { is_subject: boolean; text: string }) =>
      item.is_subject ? { ...item, text: hostile } : item,
    );
    if (detail.thread.length === 0) {
      detail.thread = [{ kind: 'post', id: 'x', author: 'a', text: hostile, created_at: '2026-01-01T00:00:00Z', flag_count: 1, is_deleted: false, is_subject: true }];
    }
    await route.fulfill({ response, json: detail });
  });
  await page.goto('/queue?type=post');
  await hydrated(page);
  await expect(rows(page).first()).toBeVisible();
  await rows(page).first().locator('a').click();
  await expect(page).toHaveURL(/\/queue\/case\/post\//);
  const subject = page.locator('.queue-thread__item--subject .queue-thread__text');
  await expect(subject).toHaveText(hostile);
  expect(await subject.locator('script, img, b').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
});
