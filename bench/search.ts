/**
 * Search benchmark: a generated sociale kaart of 10,000 services (fixed seed), index build time and
 * query latency over 2,000 varied questions (typos, compounds, synonyms, gemeente and open-now
 * filters). Run alone: npx tsx bench/search.ts. Figures, not a test.
 */
import { fileURLToPath } from 'node:url';
import { loadSynonyms } from '../knowledge/nlp/dutch.js';
import { SearchIndex } from '../knowledge/search/index.js';
import type { TopicId } from '../knowledge/topics.js';
import type { HsdsOrganization, HsdsService, SocialeKaart } from '../knowledge/types.js';
import { percentile, random } from './stats.js';

const SERVICES = 10_000;
const QUERIES = 2_000;

const GEMEENTEN = [['GM0406', 'Huizen'], ['GM0402', 'Hilversum'], ['GM1942', 'Gooise Meren'], ['GM0376', 'Blaricum'], ['GM0417', 'Laren'], ['GM0317', 'Eemnes'], ['GM1696', 'Wijdemeren']];
const KINDS: Array<[string, TopicId, string]> = [
  ['Steunpunt Mantelzorg', 'mantelzorg', 'Advies, een luisterend oor en respijtzorg voor mantelzorgers die zorgen voor een naaste.'],
  ['Vrijwilligerscentrale', 'vrijwilligerswerk', 'Vacatures voor vrijwilligerswerk, advies voor organisaties en de vrijwilligersverzekering.'],
  ['Huishoudelijke hulp', 'huishoudelijke-hulp', 'Hulp bij het huishouden: schoonmaken, de was en boodschappen, voor een schoon en leefbaar huis.'],
  ['Sociaal wijkteam', 'wmo-melding', 'Het wijkteam helpt bij vragen over zorg, geld, wonen en de Wmo-melding.'],
  ['Cliëntondersteuning', 'clientondersteuning', 'Gratis en onafhankelijke cliëntondersteuning bij het keukentafelgesprek.'],
  ['Hulpmiddelenwinkel', 'hulpmiddelen', 'Rolstoelen, scootmobielen en rollators: uitproberen, aanpassen en repareren.'],
  ['Regiotaxi', 'vervoer', 'Vervoer in de regio voor mensen die niet zelf kunnen reizen.'],
  ['Dagbesteding', 'begeleiding', 'Dagactiviteiten en begeleiding voor ouderen en mensen met dementie.'],
  ['Woonadvies', 'woningaanpassing', 'Advies over een traplift, drempels weghalen en andere woningaanpassingen.'],
  ['Logeerhuis', 'mantelzorg', 'Logeeropvang zodat de mantelzorger even vrij is van de zorg.'],
];
const EXTRA = ['Bel ons voor een afspraak.', 'U kunt ook zonder afspraak langskomen.', 'Wij werken met vrijwilligers en beroepskrachten.', 'Voor alle leeftijden.', 'Ook voor jonge mantelzorgers.', 'Wij spreken ook Engels en Turks.', 'De eerste keer is gratis.', 'Samen met de gemeente en de huisarts.'];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

export function generateSocialeKaart(count = SERVICES, seed = 2026): SocialeKaart {
  const rnd = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const organizations: HsdsOrganization[] = [];
  const services: HsdsService[] = [];
  for (let i = 0; i < count; i++) {
    const [kind, topic, description] = pick(KINDS);
    const [code, place] = pick(GEMEENTEN);
    const orgId = `org-${Math.floor(i / 5)}`;
    if (i % 5 === 0) organizations.push({ id: orgId, name: `Stichting ${pick(['Samen', 'Dichtbij', 'Thuis', 'Buurt', 'Welzijn'])} ${place} ${i / 5}`, description: 'Welzijnsorganisatie.', locations: [] });
    const first = 1 + Math.floor(rnd() * 3);
    services.push({
      id: `svc-${i}`,
      organization_id: orgId,
      name: `${kind} ${place} ${i}`,
      description: `${description} ${pick(EXTRA)} ${pick(EXTRA)}`,
      status: 'active',
      phones: [{ id: `svc-${i}-phone`, number: '035 000 00 00' }],
      schedules: [{ id: `svc-${i}-s`, freq: 'WEEKLY', byday: DAYS.slice(first - 1, first + 3).join(','), opens_at: '09:00', closes_at: pick(['12:00', '17:00']) }],
      service_areas: [{ id: `svc-${i}-a`, name: `Gemeente ${place}`, gemeente: code }, ...(rnd() < 0.2 ? [{ id: `svc-${i}-b`, name: 'Regio', gemeente: pick(GEMEENTEN)[0] }] : [])],
      location_ids: [],
      topics: [topic],
    });
  }
  return { region: 'Gooi en Vechtstreek', example: true, lastChecked: '2026-11-01', organizations, services };
}

const QUERY_POOL = [
  'mantelzorg', 'mantlezorg', 'mantelzorgondersteuning', 'ik zorg voor mijn moeder en ben moe', 'respijtzorg', 'logeeropvang',
  'vrijwilligerswerk', 'vrijwillegerswerk', 'vrijwilligersvacature', 'vacatures vrijwilliger', 'huishoudelijke hulp', 'huishoudlijke hlup',
  'huishoudelijkehulp', 'poetshulp', 'thuishulp', 'HH', 'scootmobiel', 'rolstoel repareren', 'traplift', 'regiotaxi', 'wijkteam',
  'clientondersteuning keukentafelgesprek', 'dagbesteding dementie', 'hulp bij het huishouden in Huizen', 'wat kost huishoudelijke hulp',
];

export async function benchSearch(): Promise<Record<string, number>> {
  const kaart = generateSocialeKaart();
  const synonyms = loadSynonyms();
  const t0 = performance.now();
  const index = SearchIndex.build({ provisions: [], articles: [], socialeKaart: kaart }, { synonyms });
  const buildMs = performance.now() - t0;

  const rnd = random(7);
  const now = new Date('2026-11-24T10:30:00Z');
  const runs = Array.from({ length: QUERIES }, () => ({
    query: QUERY_POOL[Math.floor(rnd() * QUERY_POOL.length)],
    options: { gemeente: rnd() < 0.5 ? GEMEENTEN[Math.floor(rnd() * GEMEENTEN.length)][0] : undefined, openNow: rnd() < 0.2, now, limit: 5 },
  }));
  for (const r of runs.slice(0, 200)) index.search(r.query, r.options); // warm-up (JIT)
  const times: number[] = [];
  const cpu: number[] = [];
  let hits = 0;
  for (const r of runs) {
    const used = process.cpuUsage();
    const start = performance.now();
    hits += index.search(r.query, r.options).length;
    times.push(performance.now() - start);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
  }
  return {
    'services indexed': kaart.services.length,
    'index build 10,000 services (ms)': Math.round(buildMs),
    'query median (ms)': percentile(times, 50),
    'query p99, wall clock (ms)': percentile(times, 99),
    // On a shared machine the wall clock includes waiting for a core; the CPU time is the search's own (as in understanding.ts).
    'query p99, CPU time (ms)': percentile(cpu, 99),
    'hits per query (mean)': hits / runs.length,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await benchSearch();
  for (const [label, value] of Object.entries(figures)) console.log(`${label}: ${Number.isInteger(value) ? value : value.toFixed(3)}`);
}
