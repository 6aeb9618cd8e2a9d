import { test, expect, hydrated, PASSWORD } from './fixtures';

// A console started by `cargo xtask e2e` with the stand-in's traffic simulator on
// (`standin.simulate_per_second`): simulated members post, comment, flag and join, and the
// embedded stand-in delivers each event as a signed webhook to the console's own intake.
const SIMULATOR = process.env.SIMULATOR_BASE_URL ?? '';

test.beforeEach(() => {
  expect(SIMULATOR, 'run through `cargo xtask e2e` (SIMULATOR_BASE_URL unset)').not.toBe('');
});

test("the live stream shows events made by the stand-in's simulator, received through the signed intake", async ({
  page,
}) => {
  await page.goto(`${SIMULATOR}/login?next=${encodeURIComponent('/events')}`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${SIMULATOR}/events`);
  await hydrated(page);
  await expect(page.getByRole('status').filter({ hasText: 'Live:' })).toBeVisible();

  // The live section holds only events stored after the page opened: nobody but the
  // simulator makes them on this console.
  const live = page.locator('tbody.events-live tr[data-event-id]');
  await expect(live.first()).toBeVisible({ timeout: 15_000 });
  const name = await live.first().getAttribute('data-event-name');
  expect(name).toMatch(/^v\d+\.(post|comment|community)\.did(Create|Flag|Join)$/);
  await expect(live.first().locator('.events-source')).toHaveText('webhook');
  // More keep coming without a reload.
  await expect.poll(() => live.count(), { timeout: 15_000 }).toBeGreaterThan(2);

  // Each came through the intake: a stored delivery whose signature was checked.
  const id = await live.first().getAttribute('data-event-id');
  await page.goto(`${SIMULATOR}/events?view=deliveries`);
  const deliveries = page.locator('tr[data-delivery-id]');
  await expect(deliveries.first()).toBeVisible();
  await expect(deliveries.filter({ hasText: name ?? '' }).first()).toContainText('secret “embedded”');
  await expect(deliveries.filter({ hasText: 'processed' }).first()).toBeVisible();
  expect(Number(id)).toBeGreaterThan(0);
});
