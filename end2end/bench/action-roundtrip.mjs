// Measures a moderation action's round trip as a moderator's browser sees it, for
// `cargo xtask bench`: from `fetch` of the `apply_action` server function (keep = clear
// flags, on a distinct flagged post each time) to its answer, which includes the console's
// call to the Social+ API. The baseline, in the same page and loop, is the console's
// `/healthz`: the floor of any browser → console round trip.
//
// Usage: node action-roundtrip.mjs <console url> <session cookie value> <post ids JSON file>
// Prints one JSON line: {"calls": n, "action_p50_ms", "action_p95_ms", "health_p50_ms", "health_p95_ms"}.
import { chromium } from 'playwright';
import { readFileSync } from 'node:fs';

const [baseURL, session, idsFile] = process.argv.slice(2);
const ids = JSON.parse(readFileSync(idsFile, 'utf8'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
try {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'console_session', value: session, url: baseURL }]);
  const page = await context.newPage();
  // A console page, so the calls carry the same origin and cookies as the real UI's.
  const landing = await page.goto(new URL('/queue', baseURL).toString());
  if (!landing || !landing.ok()) throw new Error(`the queue page answered ${landing?.status()}`);
  const timings = await page.evaluate(async (ids) => {
    const timed = async (call) => {
      const started = performance.now();
      const response = await call();
      const body = await response.text();
      const took = performance.now() - started;
      if (!response.ok) throw new Error(`${response.status}: ${body}`);
      return { took, body };
    };
    const action = [];
    const health = [];
    for (const id of ids) {
      health.push((await timed(() => fetch('/healthz'))).took);
      const { took, body } = await timed(() =>
        fetch('/api/apply_action', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            request: {
              target: { type: 'content', kind: 'post', id },
              actions: [{ type: 'clear_flags' }],
              reason: { code: 'spam', text: 'benchmark' },
            },
          }),
        }),
      );
      // A report whose steps did not all succeed is not a round trip worth timing.
      const steps = JSON.parse(body).steps ?? [];
      if (steps.length === 0 || steps.some((s) => s.outcome?.status !== 'succeeded')) {
        throw new Error(`the action did not succeed: ${body}`);
      }
      action.push(took);
    }
    return { action, health };
  }, ids);
  const percentile = (values, p) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  };
  console.log(
    JSON.stringify({
      calls: timings.action.length,
      action_p50_ms: percentile(timings.action, 50),
      action_p95_ms: percentile(timings.action, 95),
      health_p50_ms: percentile(timings.health, 50),
      health_p95_ms: percentile(timings.health, 95),
    }),
  );
} finally {
  await browser.close();
}
