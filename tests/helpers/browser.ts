/**
 * Debian's Chromium through playwright-core for the browser tests, and the axe-core WCAG 2.1 A/AA
 * check they share.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium, or a skipped suite with the reason (a failure under CI=true). Call from a before hook. */
export async function launchChromium(context: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    const message = `Chromium not found at ${CHROMIUM}: browser tests need it. Install it with: sudo apt-get update && sudo apt-get install -y chromium`;
    if (process.env.CI === 'true') throw new Error(`${message} (under CI=true a skipped browser test is a failure)`);
    console.warn(`\n  !!! SKIPPING BROWSER TESTS: ${message}\n`);
    context.skip();
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** The WCAG 2.1 A and AA violations axe-core finds on the page, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a script tag: a page whose CSP allows only its own scripts would refuse that.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

/** Collects the page's uncaught errors and console errors into `errors`, so a test can say there were none. */
export function collectPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
}
