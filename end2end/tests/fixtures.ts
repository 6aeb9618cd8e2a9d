import { test as base, expect, type BrowserContext, type Page, type Response } from '@playwright/test';

/** The bootstrap admin's password, set by `cargo xtask test`. */
export const PASSWORD = process.env.CONSOLE_TEST_PASSWORD ?? '';
/** A session cookie of a made-up viewer, written into the console database by `cargo xtask e2e`. */
export const VIEWER_SESSION = process.env.CONSOLE_TEST_VIEWER_SESSION ?? '';
/** Sessions of two made-up moderators (ids `e2e-moderator`, `e2e-moderator-2`) and a senior moderator (`e2e-senior`). */
export const MODERATOR_SESSION = process.env.CONSOLE_TEST_MODERATOR_SESSION ?? '';
export const MODERATOR2_SESSION = process.env.CONSOLE_TEST_MODERATOR2_SESSION ?? '';
export const SENIOR_SESSION = process.env.CONSOLE_TEST_SENIOR_SESSION ?? '';
/** The stand-in's admin token: it must never reach the browser. */
const ADMIN_TOKEN = process.env.CONSOLE_TEST_ADMIN_TOKEN ?? '';

type Guard = { responses: number };
type Options = { allowedConsoleErrors: RegExp[] };

/**
 * Every test runs under a guard that fails it when
 * - the admin token appears in any response header or body the browser received,
 * - the page logs a console error (CSP violations, hydration errors, 404s) or throws.
 */
export const test = base.extend<{ guard: Guard } & Options>({
  // Console errors a test expects, e.g. the browser's note about a deliberate 404 page.
  allowedConsoleErrors: [[], { option: true }],
  guard: [
    async ({ page, allowedConsoleErrors }, use) => {
      if (!ADMIN_TOKEN || !PASSWORD) throw new Error('run through `cargo xtask test` (token and password unset)');
      const problems: string[] = [];
      const checks: Promise<void>[] = [];
      const guard: Guard = { responses: 0 };
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() === 'error' && !allowedConsoleErrors.some((allowed) => allowed.test(text))) {
          problems.push(`console error: ${text}`);
        }
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('response', (response: Response) => {
        guard.responses += 1;
        checks.push(
          (async () => {
            // A response that arrives while the test is closing its page can no longer be asked for
            // its full headers; the provisional ones (already in hand) are checked instead, so the
            // guard never throws outside the test it belongs to.
            let headers: Record<string, string>;
            try {
              headers = await response.allHeaders();
            } catch {
              headers = response.headers();
            }
            for (const [name, value] of Object.entries(headers)) {
              if (value.includes(ADMIN_TOKEN)) problems.push(`admin token in header ${name} of ${response.url()}`);
            }
            let body: Buffer | undefined;
            try {
              body = await response.body();
            } catch {
              // Redirects and aborted loads have no body.
            }
            if (body && body.includes(ADMIN_TOKEN)) problems.push(`admin token in the body of ${response.url()}`);
          })(),
        );
      });
      await use(guard);
      await Promise.allSettled(checks);
      expect(guard.responses, 'the guard saw the traffic it checks').toBeGreaterThan(0);
      expect(problems, problems.join('\n')).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the WASM has hydrated the page (the app sets this attribute in an effect). */
export async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Signs in as the bootstrap admin through the form, landing on `next` (default Users). */
export async function signIn(page: Page, next = '/users') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[?]/g, '\\?')}$`));
}

/** The display-name cells of the Users table. */
export function nameCells(page: Page) {
  return page.locator('table tbody th[scope="row"]');
}

/** Signs `context` in as a minted session (see the `*_SESSION` constants). */
export async function useSession(context: BrowserContext, session: string, baseURL: string | undefined) {
  expect(session, 'run through `cargo xtask e2e`').not.toBe('');
  await context.addCookies([{ name: 'console_session', value: session, url: baseURL ?? '' }]);
}
