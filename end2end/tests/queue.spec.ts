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
  await expect(rows(page).first()).toBeVisible();
  for (const kind of await rows(page).locator('td:nth-child(2) .badge:first-child').allTextContents()) {
    expect(kind).toBe('comment');
  }
  await page.reload();
  await expect(page.getByLabel('Type')).toHaveValue('comment');
  await page.getByRole('link', { name: 'Pending approval' }).click();
  await expect(page).toHaveURL(/tab=pending/);
  await expect(rows(page).first().getByText('Pending')).toBeVisible();
});

test('triage 20 cases with the keyboard only: move, select, range-select, open, come back', async ({ page }) => {
  await expect(rows(page).nth(25)).toBeVisible();
  const keys = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
  await expect(currentRow(page)).toHaveAttribute('data-key', keys[0] ?? '');

  // Select every other case among the first 20 with x, moving with j.
  for (let i = 0; i < 20; i += 1) {
    if (i % 2 === 0) await page.keyboard.press('x');
    await page.keyboard.press('j');
    await expect(currentRow(page)).toHaveAttribute('data-key', keys[i + 1] ?? '');
    await expect(currentRow(page)).toBeFocused();
  }
  await expect(page.getByText('10 selected')).toBeVisible();
  // Back up with k, then shift-x selects the range from the last selected case.
  await page.keyboard.press('k');
  await page.keyboard.press('Shift+X');
  await expect(page.getByText('11 selected')).toBeVisible();
  await expect(page.locator('tr[aria-selected="true"]')).toHaveCount(11);
  await page.keyboard.press('Escape');
  await expect(page.locator('tr[aria-selected="true"]')).toHaveCount(0);

  // The shortcuts dialog, and / to search.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('searchbox', { name: 'Search' })).not.toBeFocused();

  // o opens the current case (the 20th), with its thread and author.
  await page.keyboard.press('o');
  await expect(page).toHaveURL(/\/queue\/case\/(post|comment|message|user)\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Case:');
  await expect(page.getByRole('heading', { name: 'Author' })).toBeVisible();
  await page.goBack();
  await expect(rows(page).first()).toBeVisible();
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
