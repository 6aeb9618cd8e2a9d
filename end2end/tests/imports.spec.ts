import { test, expect, hydrated, nameCells, signIn, useSession, VIEWER_SESSION } from './fixtures';

/** 1,000 rows: 990 new users and 10 bad rows (5 without a user id, 5 with broken metadata JSON). */
function importFile(): string {
  const lines = ['userId,displayName,metadata'];
  for (let i = 0; i < 990; i += 1) {
    lines.push(`e2e-imp-${i},E2E Import ${i},"{""n"": ${i}}"`);
    if (i % 198 === 0) lines.push(`,Nobody ${i},`);
    if (i % 198 === 1) lines.push(`e2e-imp-bad-${i},Broken ${i},{oops`);
  }
  return `${lines.join('\n')}\n`;
}

test('a 1,000-row import reports its 10 bad rows and creates the rest', async ({ page }) => {
  // 990 session registrations at the default budget of 10 requests per second.
  test.setTimeout(300_000);
  await signIn(page, '/imports');
  await hydrated(page);
  await page.getByLabel('CSV content').fill(importFile());
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  await expect(page.getByTestId('import-summary')).toContainText(
    '1000 rows: 990 valid (990 new users, 0 updates), 10 with problems.',
  );
  await expect(page.getByTestId('import-problems').locator('tbody tr')).toHaveCount(10);

  await page.getByTestId('import-start').click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f]+$/);
  await expect(page.getByTestId('job-state')).toHaveAttribute('data-state', 'done', { timeout: 240_000 });
  await expect(page.getByTestId('job-counts')).toHaveText(
    '1000 of 1000 finished: 990 succeeded, 10 failed, 0 skipped.',
  );
  await expect(page.getByTestId('job-failed').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('job-budget')).toContainText('requests');

  // The job lives on the server: a reload shows the same outcome.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('job-state')).toHaveAttribute('data-state', 'done');

  await page.goto('/users?q=E2E%20Import%20500');
  await hydrated(page);
  await expect(nameCells(page).filter({ hasText: 'E2E Import 500' })).toHaveCount(1);
});

test.describe('as a viewer', () => {
  // The forbidden page is served with status 403, which the browser reports as an error.
  test.use({ allowedConsoleErrors: [/status of 403/] });

  test('a viewer cannot import users', async ({ page, context, baseURL }) => {
    await useSession(context, VIEWER_SESSION, baseURL);
    await page.goto('/imports');
    await hydrated(page);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await expect(nav.getByRole('link', { name: 'Imports' })).toHaveCount(0);
    await page.getByLabel('CSV content').fill('userId\nviewer-should-not\n');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    // Once for the recent imports it may not list, once for the refused dry run.
    await expect(page.getByText('Your role does not allow this.')).toHaveCount(2);
  });
});
