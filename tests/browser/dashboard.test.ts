import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { InsightStore } from '../../bot/insight/events.js';
import { registerDashboardFiles } from '../../bot/insight/index.js';
import { LiveKnowledge } from '../../bot/insight/live.js';
import { KnowledgeWorkbench } from '../../bot/insight/workbench.js';
import { ReviewStore } from '../../bot/review/store.js';
import { UnansweredStore } from '../../dialogs/unanswered.js';
import { knowledgeDataDir } from '../../knowledge/paths.js';
import { repoRoot } from '../../bot/paths.js';
import { axeViolations, collectPageErrors, launchChromium } from '../helpers/browser.js';
import { consoleSession, SESSIONS, startInsightServer, type InsightServer } from '../insight/console.js';
import { RECORDS } from '../insight/fixture.js';

// The few DOM names used inside page callbacks (the project compiles without the DOM library).
declare const document: {
  getElementById(id: string): { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } }; width: number; height: number } | null;
  querySelectorAll(selector: string): { length: number };
  activeElement: { id: string; textContent: string | null } | null;
};
type ChartGlobal = { Chart: { getChart(id: string): { data: { labels: string[]; datasets: Array<{ data: number[] }> } } | undefined } };

const WEEK = 'from=2026-11-01&to=2026-11-07&gemeente=GM0406';
const EVIL = 'mag mijn hond mee <img src=x onerror="document.title=1"> in de taxi';

describe('the beheerder\'s dashboard in a real browser (Chromium, Chart.js served locally)', function () {
  this.timeout(60_000);
  let dir: string;
  let live: LiveKnowledge;
  let app: InsightServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    browser = await launchChromium(this);
    dir = await mkdtemp(join(tmpdir(), 'wmo-dashboard-'));
    await cp(knowledgeDataDir, join(dir, 'data'), { recursive: true });
    live = await LiveKnowledge.load(join(dir, 'data'));
    app = await startInsightServer((server, storage) => {
      // The console's own GET /loket/api/session, as the page uses it for the user and the CSRF token.
      server.get('/loket/api/session', async (req, res) => {
        try {
          const { account } = await consoleSession(req, false);
          const session = Object.values(SESSIONS).find((s) => s.account.username === account.username)!;
          res.send(200, { csrfToken: session.csrf, user: { ...account, name: account.username } });
        } catch (error) {
          res.send(401, { error: { code: 'Unauthorized', message: (error as Error).message } });
        }
      });
      registerDashboardFiles(server);
      // The console's stylesheet, which the dashboard shares (the console serves it in the real service).
      server.get('/loket/styles.css', async (_req, res) => {
        res.setHeader('content-type', 'text/css; charset=utf-8');
        res.end(await readFile(join(repoRoot, 'web', 'loket', 'styles.css')));
      });
      server.get('/favicon.ico', async (_req, res) => {
        res.send(204);
      });
      return { workbench: new KnowledgeWorkbench({ storage, live, reviews: new ReviewStore(storage), evalDir: join(dir, 'eval-none') }) };
    });
    for (const record of RECORDS) await app.storage.write({ [InsightStore.key(record.conversationId)]: { ...record } });
    const unanswered = new UnansweredStore(app.storage, () => new Date('2026-11-03T10:00:00Z'));
    for (const [i, text] of [EVIL, 'kan de hond mee met de taxi', 'wanneer wordt het grofvuil opgehaald'].entries()) {
      await unanswered.add({ conversationId: `u${i}`, text, reason: 'laag', gemeente: 'GM0406', candidates: [{ topic: 'vervoer', confidence: 0.2 }] });
    }
    const context = await browser.newContext({ locale: 'nl-NL' });
    await context.addCookies([{ name: 'loket_sessie', value: 'sessie-beheer', url: app.url }]);
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws the charts with the stored figures, all files from this server', async () => {
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${app.url}/loket/dashboard?${WEEK}`);
    await page.waitForSelector('#dashboard[data-geladen="ja"]');
    expect(await page.getAttribute('html', 'lang')).to.equal('nl');
    expect(requests.filter((url) => !url.startsWith(app.url))).to.deep.equal([]);
    expect(requests.some((url) => url.endsWith('/loket/vendor/chart.umd.min.js'))).to.equal(true);

    // Plain arrow functions only inside evaluate: tsx would wrap named helpers in a __name() the page lacks.
    const data = (id: string) =>
      page.evaluate((chartId) => {
        const chart = (globalThis as unknown as ChartGlobal).Chart.getChart(chartId)!;
        return { labels: chart.data.labels, values: chart.data.datasets[0].data };
      }, id);
    // Drawn pixels: a canvas that Chart.js left empty is all transparent.
    const inked = (id: string) =>
      page.evaluate((canvasId) => {
        const canvas = document.getElementById(canvasId)!;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
        return count;
      }, id);
    const topics = await data('grafiek-onderwerpen');
    const charts = {
      perDay: (await data('grafiek-per-dag')).values,
      topics: Object.fromEntries(topics.labels.map((label, i) => [label, topics.values[i]])),
      outcome: (await data('grafiek-uitkomst')).values,
      inked: [await inked('grafiek-per-dag'), await inked('grafiek-onderwerpen'), await inked('grafiek-uitkomst')],
    };
    // The hand-counted figures of the fixture (tests/insight/stats.test.ts).
    expect(charts.perDay).to.deep.equal([0, 2, 0, 1, 1, 0, 0]);
    expect(charts.topics).to.deep.equal({ 'huishoudelijke hulp': 4, mantelzorg: 3, 'buiten bereik': 2, 'wmo melding': 1 });
    expect(charts.outcome).to.deep.equal([1, 3, 3, 3, 1]);
    for (const count of charts.inked) expect(count).to.be.above(500);
    expect(await page.locator('#kerncijfers').textContent()).to.include('Gesprekken4');
    expect(await page.getAttribute('#grafiek-per-dag', 'aria-label')).to.match(/Totaal 4; de drukste dag was 2026-11-02 met 2/);
    expect(await page.getAttribute('#csv', 'href')).to.equal(`/loket/api/stats.csv?${WEEK}`);
  });

  it('shows residents\' questions as text, grouped, never as markup', async () => {
    const row = page.locator('#onbeantwoord tbody tr').filter({ hasText: 'hond' });
    expect(await row.locator('th').textContent()).to.equal('2');
    expect(await row.textContent()).to.include('<img src=x onerror="document.title=1">');
    expect(await page.locator('#onbeantwoord img').count()).to.equal(0);
    expect(await page.title()).not.to.equal('1');
  });

  it('filters with the keyboard alone: all municipalities shows five conversations', async () => {
    await page.focus('#gemeente');
    await page.keyboard.press('ArrowUp'); // from Huizen to "Alle gemeenten"
    expect(await page.inputValue('#gemeente')).to.equal('');
    await page.focus('#filter button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => ((globalThis as unknown as ChartGlobal).Chart.getChart('grafiek-per-dag')!.data.datasets[0].data as number[]).reduce((a, b) => a + b, 0) === 5);
    expect(await page.getAttribute('#csv', 'href')).to.equal('/loket/api/stats.csv?from=2026-11-01&to=2026-11-07');
  });

  it('an action on a group goes to the review list; approving it with the keyboard applies it', async () => {
    const row = page.locator('#onbeantwoord tbody tr').filter({ hasText: 'hond' });
    await row.getByRole('button', { name: 'Koppel aan onderwerp' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#beoordelen').getByText(/Voorbeeldvragen: 2 vragen/).waitFor();
    expect(await page.locator('#melding').textContent()).to.match(/Ter beoordeling/);
    await page.locator('#beoordelen').getByRole('button', { name: 'Goedkeuren' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#melding').getByText(/Goedgekeurd/).waitFor();
    await page.locator('#beoordelen').getByText('Niets te beoordelen').waitFor();
    // Handled: the questions left the unanswered list.
    expect(await page.locator('#onbeantwoord tbody tr').filter({ hasText: 'hond' }).count()).to.equal(0);
  });

  it('a new article drafted on the page waits for approval, then the knowledge base finds it', async () => {
    const row = page.locator('#onbeantwoord tbody tr').filter({ hasText: 'grofvuil' });
    await row.getByText('Nieuw artikel schrijven').click();
    await row.getByLabel('Id (kleine letters en streepjes)').fill('grofvuil-niet-wmo');
    await row.getByLabel('Titel (een vraag)').fill('Wanneer wordt het grofvuil opgehaald?');
    await row.getByLabel('Tekst').fill('Het grofvuil hoort niet bij de Wmo. Kijk op de website van uw gemeente wanneer het wordt opgehaald.');
    await row.getByLabel('Bron: titel').fill('Afvalkalender');
    await row.getByLabel('Bron: adres').fill('https://www.example.org/afvalkalender');
    await row.getByRole('button', { name: 'Concept ter beoordeling aanbieden' }).click();
    await page.locator('#beoordelen').getByText(/Nieuw artikel: Wanneer wordt het grofvuil opgehaald\?/).waitFor();
    expect(live.kb.articles.map((a) => a.id)).not.to.include('grofvuil-niet-wmo');
    await page.locator('#beoordelen').getByRole('button', { name: 'Goedkeuren' }).click();
    await page.locator('#beoordelen').getByText('Niets te beoordelen').waitFor();
    expect(live.kb.search('grofvuil', { kinds: ['article'] }).map((h) => h.id)).to.include('grofvuil-niet-wmo');
  });

  it('a consultant\'s answer from Teams is approved as an article on the same list', async () => {
    await new ReviewStore(app.storage).propose({
      text: 'Een scootmobiel mag mee in de trein als hij klein genoeg is. Vraag het eerst na bij de vervoerder.',
      question: 'Mag een scootmobiel mee in de trein?',
      source: { kind: 'teams', conversationId: '19:kanaal@thread.tacv2;messageid=1' },
      author: { id: 'c1', name: 'Consulent Jansen' },
    });
    await page.reload();
    await page.waitForSelector('#dashboard[data-geladen="ja"]');
    const card = page.locator('#beoordelen li').filter({ hasText: 'Antwoord uit Teams' });
    expect(await card.textContent()).to.include('Consulent Jansen');
    await card.getByLabel('Onderwerp').selectOption('hulpmiddelen');
    await card.getByText('Goedkeuren als artikel').click();
    expect(await card.getByLabel('Titel (een vraag)').inputValue()).to.equal('Mag een scootmobiel mee in de trein?');
    await card.getByLabel('Id (kleine letters en streepjes)').fill('scootmobiel-in-de-trein');
    await card.getByLabel('Bron: titel').fill('Reizen met een scootmobiel');
    await card.getByLabel('Bron: adres').fill('https://www.example.org/scootmobiel-trein');
    await card.getByRole('button', { name: 'Goedkeuren' }).click();
    await page.locator('#beoordelen').getByText('Niets te beoordelen').waitFor();
    expect(live.kb.articles.find((a) => a.id === 'scootmobiel-in-de-trein')?.topics).to.deep.equal(['hulpmiddelen']);
  });

  it('meets WCAG 2.1 A and AA by axe-core, with the charts and tables on screen', async () => {
    expect(await axeViolations(page)).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
  });

  it('without a session the page says to sign in at the console; a medewerker sees no figures', async () => {
    const other = await browser.newContext({ locale: 'nl-NL' });
    const anonymous = await other.newPage();
    await anonymous.goto(`${app.url}/loket/dashboard`);
    await anonymous.locator('#melding').getByText(/Log eerst in/).waitFor();
    expect(await anonymous.locator('#dashboard').isHidden()).to.equal(true);
    await other.addCookies([{ name: 'loket_sessie', value: 'sessie-medewerker', url: app.url }]);
    await anonymous.reload();
    await anonymous.locator('#melding').getByText(/voor beheerders/).waitFor();
    expect(await anonymous.locator('#dashboard').isHidden()).to.equal(true);
    await other.close();
  });
});
