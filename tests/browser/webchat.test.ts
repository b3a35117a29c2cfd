import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, collectPageErrors, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// The few DOM names used inside page callbacks (the project compiles without the DOM library).
declare const document: { querySelectorAll(selector: string): { length: number }; activeElement: { textContent: string | null } | null };

describe('the demo page in a real browser (Chromium + official Web Chat)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    browser = await launchChromium(this);
    server = await startTestServer();
    page = await browser.newPage({ locale: 'nl-NL' });
    // Anything the page's Content-Security-Policy blocks is collected, so a test can say it was nothing.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { cspViolations: string[] }).cspViolations = seen;
      (globalThis as unknown as { addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void }).addEventListener(
        'securitypolicyviolation',
        (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    collectPageErrors(page, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a Dutch Wmo-loket page with Web Chat served from this server, under a strict Content-Security-Policy', async () => {
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const response = await page.goto(`${server.url}/?gemeente=GM0406`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).to.match(/frame-ancestors 'self'/);
    expect(policy).to.match(/script-src 'self'(;|$)/);
    expect(policy).to.match(/img-src 'self' data: blob:(;|$)/);
    expect(await page.getAttribute('html', 'lang')).to.equal('nl');
    expect(await page.textContent('h1')).to.match(/Wmo-loket/);
    const origin = new URL(server.url).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).to.deep.equal([]);
  });

  it('greets the resident as a digital assistant and answers a typed question', async () => {
    const transcript = page.locator('[role="log"]');
    await transcript.getByText(/digitale assistent/i).first().waitFor({ timeout: 20_000 });
    const input = page.getByRole('textbox').last();
    const botMessagesBefore = await countBotMessages(page);
    await input.fill('Hallo, ik heb hulp nodig bij het schoonmaken');
    await input.press('Enter');
    // The resident's own message appears, followed by the bot's answer to it.
    await transcript.getByText('Hallo, ik heb hulp nodig bij het schoonmaken', { exact: true }).waitFor({ timeout: 10_000 });
    await page.waitForFunction((before) => document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)').length > before, botMessagesBefore, { timeout: 20_000 });
    expect(pageErrors).to.deep.equal([]);
    // Web Chat works under the policy: nothing it needs was blocked.
    expect(await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations)).to.deep.equal([]);
    if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
  });

  it('shows the sources of an answer as citation links under the message', async () => {
    // A new conversation: the previous test left the household flow waiting for an answer.
    await page.goto(`${server.url}/?gemeente=GM0406`);
    await page.locator('[role="log"]').getByText(/digitale assistent/i).first().waitFor({ timeout: 20_000 });
    const input = page.getByRole('textbox').last();
    await input.fill('Wat is het abonnementstarief?');
    await input.press('Enter');
    const transcript = page.locator('[role="log"]');
    await transcript.getByText(/€21,80/).first().waitFor({ timeout: 20_000 });
    // Web Chat turns the Markdown reference definitions into a list of links below the answer.
    const sourceLinks = page.locator('#chat .webchat__bubble a[href^="https://"]');
    await sourceLinks.first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#chat .webchat__bubble').getByText(/\[1\]/).count()).to.equal(0, 'a raw [1] marker is left in the text');
  });

  it('shows a place nearby as a card and the buttons of the turn under it, and a pressed button is answered', async () => {
    // Web Chat shows suggested actions only under the last activity: the bot puts a turn's buttons there.
    await page.goto(`${server.url}/?gemeente=GM0406`);
    await page.locator('[role="log"]').getByText(/digitale assistent/i).first().waitFor({ timeout: 20_000 });
    const input = page.getByRole('textbox').last();
    await input.fill('kan ik via de gemeente aan een scootmobiel komen?');
    await input.press('Enter');
    // The answer, then the place nearby as one Adaptive Card: its name and phone number are on screen.
    const card = page.locator('#chat .ac-adaptiveCard').filter({ hasText: '035 000 12 16' });
    await card.first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await card.first().textContent()).to.match(/Rolstoelen en scootmobielen via de Wmo/).and.match(/Telefoon/);
    // The card is the only place of the contact: its phone number is on screen once, not also in a text bubble above it.
    const bubbles = await page.locator('#chat .webchat__bubble__content').allInnerTexts();
    expect(bubbles.join('\n').split('035 000 12 16').length - 1).to.equal(1, 'the phone number is shown once');
    // The turn's buttons are under its last message, after the card, and visible.
    const button = page.getByRole('toolbar', { name: 'Voorgestelde acties' }).getByRole('button', { name: 'Wat kost een hulpmiddel?' });
    await button.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByRole('toolbar', { name: 'Voorgestelde acties' }).getByRole('button').count()).to.be.greaterThan(1);
    await button.click();
    await page.locator('[role="log"]').getByText(/kostprijs/).first().waitFor({ timeout: 20_000 });
  });

  it('stops the send box at 4,000 characters and says why', async () => {
    const input = page.getByRole('textbox').last();
    await input.fill('a'.repeat(4_100));
    expect((await input.inputValue()).length).to.equal(4_000);
    expect(await page.textContent('#chat-status')).to.match(/te lang/);
    await input.fill('');
  });

  it('meets WCAG 2.1 A and AA by axe-core, with a conversation on screen', async () => {
    expect(await axeViolations(page)).to.deep.equal([]);
  });

  it('can be used with the keyboard alone: the skip link leads to the chat', async () => {
    await page.goto(`${server.url}/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).to.match(/Direct naar de chat/);
  });
});

async function countBotMessages(page: Page): Promise<number> {
  return page.locator('.webchat__bubble:not(.webchat__bubble--from-user)').count();
}
