/**
 * QA as a resident in the real browser: the official Web Chat in Chromium against the whole
 * service (as `npm start` builds it). Each conversation is typed, or a button clicked ("click:Label");
 * what the page shows after each step (the bot's bubbles, the buttons that are visible, cards) is
 * written down for a person to read, with a screenshot per conversation.
 *
 *   node --disable-warning=DEP0111 --import tsx tests/browser/qaWebchat.ts OUTDIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../helpers/browser.js';
import { startTestServer } from '../helpers/server.js';

const out = process.argv[2] ?? 'qa-webchat';
mkdirSync(out, { recursive: true });

const CONVERSATIONS: { name: string; g?: string; steps: string[] }[] = [
  { name: 'huishouden-knoppen', g: 'GM0406', steps: ['click:Hulp in het huishouden', 'click:Boodschappen en eten', 'click:Een paar maanden', 'click:Het blijft zo'] },
  { name: 'mantelzorg-getypt', g: 'GM0402', steps: ['ik zorg voor mijn moeder, ze heeft dementie', 'ja graag', 'mijn moeder', 'zo n 15 uur in de week', 'het is vaak te veel'] },
  { name: 'waardering-direct', g: 'GM1942', steps: ['krijg ik als mantelzorger nog een waardering dit jaar'] },
  { name: 'veilig-thuis-omstander', g: 'GM0406', steps: ['mijn buurvrouw van 88 is erg vermagerd, haar zoon komt nooit en de post stapelt op'] },
  { name: 'suicidaal-in-flow', g: 'GM0406', steps: ['click:Mantelzorg', 'ik kan niet meer, ik wil dood', 'ok'] },
  { name: 'vraag-in-flow', g: 'GM0406', steps: ['click:Hulp in het huishouden', 'click:Schoonmaken', 'hoe lang duurt het voordat ik hulp krijg?'] },
  { name: 'followup-bezwaar', g: 'GM0402', steps: ['mijn traplift is afgewezen, hoe maak ik bezwaar', 'kost dat iets?'] },
  { name: 'wlz-verschil', g: 'GM0317', steps: ['wat is het verschil tussen wlz en wmo'] },
  { name: 'jeugd', g: 'GM0406', steps: ['onze zoon van 10 heeft adhd en thuis gaat het niet meer'] },
  { name: 'contacten-kaart', g: 'GM0406', steps: ['waar kan ik een rolstoel lenen'] },
  { name: 'melding', g: 'GM0406', steps: ['click:Een melding doen', 'mijn vrouw kan na haar beroerte niet meer de trap op', 'niets', 'click:Met mijn partner'] },
  { name: 'typfouten', g: 'GM0402', steps: ['hulp bij huishoudn aanvrage'] },
  { name: 'getypt-moment', g: 'GM1942', steps: ['click:Hulp in het huishouden', 'stofzuigen', 'sinds mijn knieoperatie in oktober'] },
  { name: 'plek-in-eigen-dorp', g: 'GM0406', steps: ['wat is dagbesteding', 'is dat er ook in huizen?'] },
  { name: 'gratis-kort', g: 'GM0402', steps: ['wat doet een cliëntondersteuner', 'is dat gratis?'] },
  { name: 'buurtbus', g: 'GM1696', steps: ['rijdt er een buurtbus in kortenhoef'] },
  { name: 'geweld-in-flow', g: 'GM0402', steps: ['click:Hulp in het huishouden', 'mijn zoon gooit met borden naar me als hij kwaad is'] },
  { name: 'kosten-na-voorziening', g: 'GM0417', steps: ['wat is personenalarmering', 'moet ik daar voor betalen?'] },
  { name: 'rit-regiotaxi', g: 'GM0406', steps: ['wat is de regiotaxi', 'wat kost een rit?'] },
  { name: 'somber', g: 'GM1942', steps: ['ik voel me de laatste tijd zo somber'] },
];

const server = await startTestServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const summary: string[] = [];
try {
  for (const c of CONVERSATIONS) {
    const page = await browser.newPage({ locale: 'nl-NL', viewport: { width: 480, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/${c.g ? `?gemeente=${c.g}` : ''}`);
    const log = page.locator('[role="log"]');
    await log.getByText(/digitale assistent/i).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    const lines: string[] = [`# ${c.name} (${c.g ?? 'geen gemeente'})`, ''];
    for (const step of c.steps) {
      const before = await page.locator('.webchat__bubble:not(.webchat__bubble--from-user)').count();
      if (step.startsWith('click:')) {
        const label = step.slice(6);
        const button = page.getByRole('button', { name: label, exact: true }).last();
        const visible = await button.isVisible().catch(() => false);
        lines.push(`**klikt** [${label}]${visible ? '' : ' — KNOP NIET ZICHTBAAR'}`);
        if (!visible) break;
        await button.click();
      } else {
        lines.push(`**typt** ${step}`);
        const input = page.getByRole('textbox').last();
        await input.fill(step);
        await input.press('Enter');
      }
      await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)').length > n, before, { timeout: 20_000 }).catch(() => lines.push('  (geen antwoord binnen 20 s)'));
      await page.waitForTimeout(1200);
      const bubbles = await page.locator('.webchat__bubble:not(.webchat__bubble--from-user)').allInnerTexts();
      for (const b of bubbles.slice(before)) lines.push(`> ${b.replace(/\n+/g, ' / ')}`);
      const attachments = await page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .ac-adaptiveCard, .webchat__carousel-filmstrip').count();
      const buttons = await page.locator('.webchat__suggested-actions button').allInnerTexts();
      lines.push(`  knoppen zichtbaar: ${buttons.length ? buttons.map((b) => `[${b}]`).join(' ') : '(geen)'}${attachments ? `; kaarten in beeld: ${attachments}` : ''}`, '');
    }
    if (errors.length) lines.push(`Paginafouten: ${errors.join('; ')}`);
    await page.screenshot({ path: `${out}/${c.name}.png`, fullPage: true });
    writeFileSync(`${out}/${c.name}.md`, `${lines.join('\n')}\n`);
    summary.push(lines.join('\n'));
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
writeFileSync(`${out}/all.md`, `${summary.join('\n\n')}\n`);
console.log(`${CONVERSATIONS.length} conversations in ${out}/all.md`);
process.exit(0);
