/**
 * The staff console in Chromium next to the resident's official Web Chat: sign in, see the
 * waiting conversation arrive without a reload, claim, reply, and the resident sees the reply.
 * What the resident typed shows as plain text (no <img onerror>, no link), and the page meets
 * WCAG 2.1 A/AA by axe-core.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, collectPageErrors, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStaff, PASSWORD } from '../handoff/console-client.js';

// The few DOM names used inside page callbacks (the project compiles without the DOM library).
declare const document: { querySelectorAll(selector: string): { length: number }; activeElement: { textContent: string | null } | null };
declare const window: { __xss?: number };

const XSS = '<img src=x onerror="window.__xss=1">';
const LINK = '[klik hier](https://example.com/inloggen)';

describe('the loket console in a real browser, with a resident on Web Chat', function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let console: Page;
  let resident: Page;
  const pageErrors: string[] = [];

  before(async function () {
    browser = await launchChromium(this);
    server = await startTestServer();
    await addStaff(server, 'anna', 'medewerker', ['GM0406'], 'Anna');
    console = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
    resident = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
    for (const page of [console, resident]) {
      collectPageErrors(page, pageErrors);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function residentSays(text: string, reply: RegExp): Promise<void> {
    const input = resident.getByRole('textbox').last();
    await input.fill(text);
    await input.press('Enter');
    await resident.locator('[role="log"]').getByText(reply).last().waitFor({ timeout: 20_000 });
  }

  it('an employee signs in with the keyboard and marks themselves available', async () => {
    await console.goto(`${server.url}/loket`);
    expect(await console.getAttribute('html', 'lang')).to.equal('nl');
    await console.keyboard.press('Tab');
    expect(await console.evaluate(() => document.activeElement?.textContent ?? '')).to.match(/Direct naar de inhoud/);
    await console.getByLabel('Gebruikersnaam').fill('anna');
    await console.getByLabel('Wachtwoord').fill(PASSWORD);
    await console.getByLabel('Wachtwoord').press('Enter');
    await console.getByRole('heading', { name: /Wachtende gesprekken/ }).waitFor();
    await console.getByLabel('Beschikbaar voor de chat').check();
    await console.getByText('U bent beschikbaar voor de chat.').waitFor();
  });

  it('the resident asks for a person in Web Chat; the waiting conversation appears in the console without a reload', async () => {
    await resident.goto(`${server.url}/?gemeente=GM0406`);
    await resident.locator('[role="log"]').getByText(/digitale assistent/i).first().waitFor({ timeout: 20_000 });
    const answers = await resident.locator('.webchat__bubble:not(.webchat__bubble--from-user)').count();
    await resident.getByRole('textbox').last().fill(XSS);
    await resident.getByRole('textbox').last().press('Enter');
    await resident.waitForFunction((n) => document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)').length > n, answers, { timeout: 20_000 });
    await residentSays(LINK, /./);
    await residentSays('Ik wil een medewerker spreken', /Wilt u dat\?/);
    await residentSays('Ja, verbind mij door', /U staat in de wachtrij/);

    const card = console.locator('#wachtend li.card').first();
    await card.waitFor({ timeout: 10_000 });
    expect(await card.textContent()).to.match(/Huizen/).and.match(/plaats 1/);
  });

  it('opening it shows the redacted transcript with the resident\'s markup and link as plain text', async () => {
    await console.locator('#wachtend li.card').first().getByRole('button', { name: /Gesprek openen/ }).click();
    const transcript = console.locator('#verloop');
    await transcript.getByText(XSS, { exact: false }).waitFor();
    await transcript.getByText(LINK, { exact: false }).waitFor();
    expect(await console.locator('#verloop img').count()).to.equal(0);
    expect(await console.locator('#verloop a').count()).to.equal(0);
    expect(await console.evaluate(() => window.__xss)).to.equal(undefined);
  });

  it('claim and reply: the resident sees who took over and the answer; the resident\'s answer arrives live', async () => {
    await console.getByRole('button', { name: 'Overnemen' }).click();
    await resident.locator('[role="log"]').getByText('Anna van het Wmo-loket Huizen neemt het gesprek over.').waitFor({ timeout: 20_000 });
    await console.getByLabel('Uw bericht aan de inwoner').fill('Goedemiddag, ik ben Anna. Waarmee kan ik u helpen?');
    await console.getByRole('button', { name: 'Versturen' }).click();
    await resident.locator('[role="log"]').getByText('Goedemiddag, ik ben Anna. Waarmee kan ik u helpen?').waitFor({ timeout: 20_000 });
    const input = resident.getByRole('textbox').last();
    await input.fill('Ik zoek hulp bij het douchen');
    await input.press('Enter');
    await console.locator('#verloop').getByText('Ik zoek hulp bij het douchen').waitFor({ timeout: 10_000 });
    expect(await console.locator('#wachtend li.card').count()).to.equal(0);
    expect(await console.locator('#mijn li.card').count()).to.equal(1);
  });

  it('meets WCAG 2.1 A and AA by axe-core, with a conversation open', async () => {
    expect(await axeViolations(console)).to.deep.equal([]);
  });

  it('hands back with the keyboard, and the resident hears the bot is back; no errors on either page', async () => {
    await console.getByRole('button', { name: 'Teruggeven aan de assistent' }).focus();
    await console.keyboard.press('Enter');
    await resident.locator('[role="log"]').getByText(/weer met de digitale assistent/).waitFor({ timeout: 20_000 });
    expect(pageErrors).to.deep.equal([]);
  });

  it('a beheerder sees the link to the figures, and the page still meets WCAG 2.1 A and AA', async () => {
    await addStaff(server, 'bea', 'beheerder', ['GM0406'], 'Bea');
    const page = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
    collectPageErrors(page, pageErrors);
    await page.goto(`${server.url}/loket`);
    await page.getByLabel('Gebruikersnaam').fill('bea');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByLabel('Wachtwoord').press('Enter');
    await page.getByRole('link', { name: 'Cijfers en kennisbeheer' }).waitFor();
    expect(await axeViolations(page)).to.deep.equal([]);
  });
});
