import { test, expect, hydrated, nameCells, signIn, useSession, PASSWORD, VIEWER_SESSION } from './fixtures';

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

test('a 1,000-row file picked with the file picker reports its 10 bad rows and creates the rest', async ({ page }) => {
  // 990 session registrations at the default budget of 10 requests per second.
  test.setTimeout(300_000);
  await signIn(page, '/imports');
  await hydrated(page);
  // Through the file picker: the hydrated page reads the file into the text box.
  await page.getByLabel('CSV file').setInputFiles({
    name: 'e2e-import.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(importFile()),
  });
  await expect(page.getByTestId('import-file-read')).toHaveText(
    'Read e2e-import.csv (1001 lines) into the text box; check it with the dry run.',
  );
  await expect(page.getByLabel('File name (for the record)')).toHaveValue('e2e-import.csv');
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

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a file uploaded through the picker is checked and imported', async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto('/login?next=%2Fimports');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/imports$/);
    const stamp = Date.now().toString(36);
    const file = `userId,displayName\ne2e-up-${stamp}-1,Uploaded ${stamp} one\ne2e-up-${stamp}-2,Uploaded ${stamp} two\n,No id\n`;
    await page.getByLabel('CSV file').setInputFiles({ name: 'team.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await expect(page).toHaveURL(/\/imports\?upload=[0-9a-f]+$/);
    await expect(page.getByTestId('import-uploaded')).toHaveText('Uploaded file: team.csv');
    await expect(page.getByTestId('import-summary')).toContainText('3 rows: 2 valid (2 new users, 0 updates), 1 with problems.');
    await page.getByTestId('import-start').click();
    await expect(page).toHaveURL(/\/imports\/[0-9a-f]+$/);
    // No polling without JavaScript: reloading shows where the job is.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('job-state')).toHaveAttribute('data-state', 'done', { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId('job-counts')).toHaveText('3 of 3 finished: 2 succeeded, 1 failed, 0 skipped.');
  });
});
