/**
 * From our records to the Klantinteracties API's objects. prepare*() cleans and shapes the input
 * once, when it is queued (what is stored in the outbox is exactly what will be sent);
 * planSteps() turns a prepared record into the ordered list of objects to create, each with a
 * search that finds it again if an earlier attempt created it without us learning its uuid.
 */
import type { ApiObject } from './client.js';
import { cleanText, containsBsn, fit } from './privacy.js';
import type { CallbackRequest, ClosedHandoff, MeldingRecord, RecordKind, ResidentContact } from './types.js';

/** Our register name in every identificator we write, so the municipality can tell our objects. */
export const REGISTER = 'wmo-loket-assistent';
const BOT_NAME = 'Wmo-loket assistent';

interface Contactnaam {
  voornaam?: string;
  voorvoegselAchternaam?: string;
  achternaam?: string;
}

interface DigitaalAdres {
  soortDigitaalAdres: 'telefoonnummer' | 'email' | 'overig';
  adres: string;
  omschrijving: string;
}

export interface PreparedRecord {
  kind: RecordKind;
  reference: string;
  gemeente: string;
  klantcontact: {
    onderwerp: string;
    inhoud: string;
    reactie?: string;
    plaatsgevondenOp: string;
    indicatieContactGelukt: boolean;
    metadata: Record<string, string>;
  };
  employee?: { id: string; naam: string };
  articles: string[];
  /** Record a bijlage that identifies the (redacted) transcript kept with the handoff. */
  transcript: boolean;
  betrokkene?: { contactnaam?: Contactnaam; adressen: DigitaalAdres[] };
  internetaak?: { gevraagdeHandeling: string; toelichting: string };
}

export class RecordInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordInputError';
  }
}

/** Readable subjects for the topic ids the router uses; anything else is taken as written. */
const TOPIC_LABELS: Record<string, string> = {
  'huishoudelijke-hulp': 'Hulp in het huishouden',
  mantelzorg: 'Mantelzorg',
  vrijwilligerswerk: 'Vrijwilligerswerk',
  'wmo-melding': 'Wmo-melding',
  kosten: 'Kosten en eigen bijdrage',
  pgb: 'Persoonsgebonden budget (pgb)',
  clientondersteuning: 'Cliëntondersteuning',
  hulpmiddelen: 'Hulpmiddelen',
  woningaanpassing: 'Woningaanpassing',
  vervoer: 'Vervoer',
  begeleiding: 'Begeleiding',
  'bezwaar-klacht': 'Bezwaar of klacht',
  'sociale-kaart': 'Hulp in de buurt',
  medewerker: 'Vraag voor een medewerker',
  veiligheid: 'Veiligheid',
  groet: 'Algemene vraag',
  'buiten-bereik': 'Overige vraag',
};

/** Collects texts and tells whether the wider BSN net had to catch one (see privacy.ts). */
class Cleaner {
  caughtBsn = false;
  text(input: unknown, max: number): string {
    const result = cleanText(String(input ?? '').trim());
    this.caughtBsn ||= result.caughtBsn;
    return fit(result.text, max);
  }
}

function required(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new RecordInputError(`${what} is missing`);
  return value.trim();
}

function isoTime(value: unknown, what: string): string {
  const time = typeof value === 'string' ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime())) throw new RecordInputError(`${what} must be an ISO date-time, not "${String(value)}"`);
  return time.toISOString();
}

function topicLabel(topic: string, clean: Cleaner): string {
  return clean.text(TOPIC_LABELS[topic] ?? topic, 200);
}

function base(kind: RecordKind, reference: string, gemeente: string): Pick<PreparedRecord, 'kind' | 'reference' | 'gemeente'> {
  const ref = required(reference, 'reference');
  if (ref.length > 100 || containsBsn(ref)) throw new RecordInputError('reference must be our own short reference');
  const code = required(gemeente, 'gemeente');
  if (!/^GM\d{4}$/.test(code)) throw new RecordInputError(`gemeente must be a CBS code such as GM0406, not "${code}"`);
  return { kind, reference: ref, gemeente: code };
}

function metadata(kind: string, reference: string, gemeente: string, extra: Record<string, string> = {}): Record<string, string> {
  return { bron: REGISTER, soort: kind, referentie: reference, gemeente, ...extra };
}

export interface Prepared {
  record: PreparedRecord;
  caughtBsn: boolean;
}

export function prepareHandoff(h: ClosedHandoff): Prepared {
  const clean = new Cleaner();
  const head = base('handoff', h.reference, h.gemeente);
  const closedAt = isoTime(h.closedAt, 'closedAt');
  const articles = (h.citedArticles ?? []).filter((a) => a && typeof a.id === 'string' && a.id.trim());
  const titles = articles.map((a) => clean.text(a.title ?? a.id, 200));
  const reactie = [`Uitkomst: ${clean.text(h.outcome, 50)}.`, titles.length ? `Gebruikte informatie: ${titles.join('; ')}.` : ''].filter(Boolean).join('\n');
  const record: PreparedRecord = {
    ...head,
    klantcontact: {
      onderwerp: topicLabel(required(h.topic, 'topic'), clean),
      inhoud: clean.text(h.summary, 1000),
      reactie: fit(reactie, 4000),
      plaatsgevondenOp: h.startedAt ? isoTime(h.startedAt, 'startedAt') : closedAt,
      indicatieContactGelukt: true,
      metadata: metadata('overdracht', head.reference, head.gemeente, { uitkomst: clean.text(h.outcome, 255) }),
    },
    employee: { id: clean.text(required(h.employee?.id, 'employee.id'), 200), naam: clean.text(required(h.employee?.name, 'employee.name'), 200) },
    articles: [...new Set(articles.map((a) => clean.text(a.id, 200)))],
    transcript: (h.transcript ?? []).length > 0,
    betrokkene: h.contact ? betrokkene(h.contact, clean, 'Contact bij het gesprek') : undefined,
  };
  return { record, caughtBsn: clean.caughtBsn };
}

export function prepareCallback(c: CallbackRequest): Prepared {
  const clean = new Cleaner();
  const head = base('callback', c.reference, c.gemeente);
  const person = betrokkene(c.contact ?? {}, clean, 'Terugbelnummer');
  if (!person.adressen.length) throw new RecordInputError('a callback request needs a phone number or e-mail address');
  const byPhone = person.adressen.some((a) => a.soortDigitaalAdres !== 'email');
  const when = c.preferredTime ? clean.text(c.preferredTime, 100) : '';
  const record: PreparedRecord = {
    ...head,
    klantcontact: {
      onderwerp: topicLabel(required(c.topic, 'topic'), clean),
      inhoud: clean.text(c.summary, 1000),
      plaatsgevondenOp: isoTime(c.requestedAt, 'requestedAt'),
      indicatieContactGelukt: true,
      metadata: metadata('terugbelverzoek', head.reference, head.gemeente),
    },
    articles: [],
    transcript: false,
    betrokkene: person,
    internetaak: {
      gevraagdeHandeling: fit(`${byPhone ? 'Bel de inwoner terug' : 'Mail de inwoner'} (terugbelverzoek ${head.reference} uit de chat)`, 200),
      toelichting: fit(
        [when ? `Voorkeur: ${when}.` : '', `${byPhone ? 'Het nummer' : 'Het e-mailadres'} staat bij de betrokkene van het klantcontact.`].filter(Boolean).join(' '),
        1000,
      ),
    },
  };
  return { record, caughtBsn: clean.caughtBsn };
}

export function prepareMelding(m: MeldingRecord): Prepared {
  const clean = new Cleaner();
  const head = base('melding', m.reference, m.gemeente);
  const person = betrokkene(m.contact ?? {}, clean, 'Contact voor de melding');
  const urgency = clean.text(m.urgency, 100);
  const when = m.preferredTime ? clean.text(m.preferredTime, 100) : '';
  const record: PreparedRecord = {
    ...head,
    klantcontact: {
      onderwerp: fit(`Wmo-melding: ${topicLabel(required(m.topic, 'topic'), clean)}`, 200),
      inhoud: clean.text(m.summary, 1000),
      plaatsgevondenOp: isoTime(m.createdAt, 'createdAt'),
      indicatieContactGelukt: true,
      metadata: metadata('melding', head.reference, head.gemeente, { spoed: urgency }),
    },
    articles: [],
    transcript: false,
    betrokkene: person,
    internetaak: {
      gevraagdeHandeling: fit(`${m.urgent ? 'SPOED: ' : ''}Neem contact op over Wmo-melding ${head.reference}`, 200),
      toelichting: fit(
        [
          `Hoe snel: ${urgency}.`,
          when ? `Bereikbaar: ${when}.` : '',
          person.adressen.length ? 'De contactgegevens staan bij de betrokkene van het klantcontact.' : 'De inwoner gaf geen bruikbaar telefoonnummer of e-mailadres.',
        ]
          .filter(Boolean)
          .join(' '),
        1000,
      ),
    },
  };
  return { record, caughtBsn: clean.caughtBsn };
}

const SURNAME_PREFIXES = ["van der", "van den", "van de", "van 't", "in 't", 'in de', 'op de', 'van', 'de', 'den', 'der', 'ten', 'ter', 'te', "'t"];

/** "Anna van der Berg" → voornaam Anna, voorvoegsel "van der", achternaam Berg. */
function contactnaam(name: string): Contactnaam | undefined {
  const words = name.split(/\s+/).filter(Boolean);
  if (!words.length) return undefined;
  if (words.length === 1) return { voornaam: fit(words[0], 200) };
  const rest = words.slice(1).join(' ');
  const prefix = SURNAME_PREFIXES.find((p) => rest.toLowerCase().startsWith(`${p} `));
  return {
    voornaam: fit(words[0], 200),
    ...(prefix ? { voorvoegselAchternaam: rest.slice(0, prefix.length) } : {}),
    achternaam: fit(prefix ? rest.slice(prefix.length + 1) : rest, 200),
  };
}

// The API's own pattern for telephone numbers (no 0800/0900 service numbers).
const API_PHONE = /^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** Only what the resident gave for this purpose; a value that holds a BSN is left out. */
function betrokkene(contact: ResidentContact, clean: Cleaner, omschrijving: string): { contactnaam?: Contactnaam; adressen: DigitaalAdres[] } {
  const adressen: DigitaalAdres[] = [];
  const typed = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const phone = typed(contact.phone);
  if (phone && !containsBsn(phone)) {
    const digits = phone.replace(/\(0\)/g, '').replace(/[\s().\-/]/g, '');
    if (API_PHONE.test(digits)) adressen.push({ soortDigitaalAdres: 'telefoonnummer', adres: digits, omschrijving });
    else if (/\d{6}/.test(digits)) adressen.push({ soortDigitaalAdres: 'overig', adres: fit(phone, 80), omschrijving: 'Telefoonnummer zoals getypt' });
  }
  if (phone && containsBsn(phone)) clean.caughtBsn = true;
  const email = typed(contact.email);
  if (email && EMAIL.test(email) && email.length <= 80 && !containsBsn(email)) {
    adressen.push({ soortDigitaalAdres: 'email', adres: email, omschrijving: omschrijving === 'Terugbelnummer' ? 'E-mail voor het terugbelverzoek' : omschrijving });
  }
  const name = typed(contact.name) ? clean.text(contact.name, 400) : '';
  return { ...(name ? { contactnaam: contactnaam(name) } : {}), adressen };
}

/** One object to create. */
export interface Step {
  id: string;
  path: string;
  /** Always search before creating (shared objects such as actors), not only on a retry. */
  shared?: boolean;
  /** The search that finds this object if it exists, and which found item is ours. */
  find(done: Record<string, ApiObject>): { query: Record<string, string>; match?: (item: Record<string, unknown>) => boolean };
  body(done: Record<string, ApiObject>): object;
}

const ref = (object: ApiObject) => ({ uuid: object.uuid });

function actorStep(id: string, identificator: Record<string, string>, body: object, soortActor: string): Step {
  return {
    id,
    path: '/actoren',
    shared: true,
    find: () => ({
      query: { actoridentificatorObjectId: identificator.objectId, actoridentificatorCodeRegister: identificator.codeRegister, soortActor },
    }),
    body: () => ({ ...body, soortActor, indicatieActief: true, actoridentificator: identificator }),
  };
}

function linkActorStep(id: string, actorStep: string): Step {
  return {
    id,
    path: '/actorklantcontacten',
    find: (done) => ({ query: { actor__uuid: done[actorStep].uuid, klantcontact__uuid: done.klantcontact.uuid } }),
    body: (done) => ({ actor: ref(done[actorStep]), klantcontact: ref(done.klantcontact) }),
  };
}

/** The objects for one record, in the order they must be created. */
export function planSteps(record: PreparedRecord, organisatorischeEenheid: string): Step[] {
  const kc = record.klantcontact;
  const steps: Step[] = [
    {
      id: 'klantcontact',
      path: '/klantcontacten',
      find: () => ({
        query: { plaatsgevondenOp: kc.plaatsgevondenOp, kanaal: 'chat' },
        match: (item) => {
          const meta = item.metadata as Record<string, string> | undefined;
          return meta?.bron === REGISTER && meta.referentie === record.reference && meta.soort === kc.metadata.soort;
        },
      }),
      body: () => ({
        kanaal: 'chat',
        onderwerp: kc.onderwerp,
        inhoud: kc.inhoud,
        ...(kc.reactie ? { reactie: kc.reactie } : {}),
        indicatieContactGelukt: kc.indicatieContactGelukt,
        taal: 'nld',
        // Wmo contacts are about health and care at home: always confidential.
        vertrouwelijk: true,
        plaatsgevondenOp: kc.plaatsgevondenOp,
        metadata: kc.metadata,
      }),
    },
    actorStep(
      'actor:assistent',
      { objectId: REGISTER, codeObjecttype: 'applicatie', codeRegister: REGISTER, codeSoortObjectId: 'naam' },
      { naam: BOT_NAME, actorIdentificatie: { functie: 'Digitale assistent Wmo-loket', omschrijving: 'Chat-assistent op de website van de gemeente' } },
      'geautomatiseerde_actor',
    ),
    linkActorStep('actorklantcontact:assistent', 'actor:assistent'),
  ];
  if (record.employee) {
    steps.push(
      actorStep(
        'actor:medewerker',
        { objectId: record.employee.id, codeObjecttype: 'mdw', codeRegister: REGISTER, codeSoortObjectId: 'gebruikersnaam' },
        { naam: record.employee.naam },
        'medewerker',
      ),
      linkActorStep('actorklantcontact:medewerker', 'actor:medewerker'),
    );
  }
  for (const article of record.articles) {
    const identificator = { objectId: article, codeObjecttype: 'kennisartikel', codeRegister: REGISTER, codeSoortObjectId: 'id' };
    steps.push({
      id: `onderwerpobject:${article}`,
      path: '/onderwerpobjecten',
      find: (done) => ({ query: { klantcontact__uuid: done.klantcontact.uuid, onderwerpobjectidentificatorObjectId: article } }),
      body: (done) => ({ klantcontact: ref(done.klantcontact), wasKlantcontact: null, onderwerpobjectidentificator: identificator }),
    });
  }
  if (record.transcript) {
    steps.push({
      id: 'bijlage:transcript',
      path: '/bijlagen',
      find: (done) => ({ query: { klantcontact__uuid: done.klantcontact.uuid, bijlageidentificatorObjectId: record.reference } }),
      body: (done) => ({
        wasBijlageVanKlantcontact: ref(done.klantcontact),
        bijlageidentificator: { objectId: record.reference, codeObjecttype: 'chattranscript', codeRegister: REGISTER, codeSoortObjectId: 'referentie' },
      }),
    });
  }
  const person = record.betrokkene;
  if (person && (person.contactnaam || person.adressen.length)) {
    steps.push({
      id: 'betrokkene',
      path: '/betrokkenen',
      find: (done) => ({ query: { hadKlantcontact__uuid: done.klantcontact.uuid } }),
      body: (done) => ({
        wasPartij: null,
        hadKlantcontact: ref(done.klantcontact),
        ...(person.contactnaam ? { contactnaam: person.contactnaam } : {}),
        rol: 'klant',
        initiator: true,
      }),
    });
    for (const adres of person.adressen) {
      steps.push({
        id: `digitaaladres:${adres.soortDigitaalAdres}`,
        path: '/digitaleadressen',
        find: (done) => ({ query: { verstrektDoorBetrokkene__uuid: done.betrokkene.uuid, soortDigitaalAdres: adres.soortDigitaalAdres } }),
        body: (done) => ({ verstrektDoorBetrokkene: ref(done.betrokkene), verstrektDoorPartij: null, ...adres }),
      });
    }
  }
  if (record.internetaak) {
    const task = record.internetaak;
    steps.push({
      id: 'internetaak',
      path: '/internetaken',
      find: (done) => ({ query: { aanleidinggevendKlantcontact__uuid: done.klantcontact.uuid } }),
      body: (done) => ({
        gevraagdeHandeling: task.gevraagdeHandeling,
        aanleidinggevendKlantcontact: ref(done.klantcontact),
        toegewezenAanActoren: [{ uuid: organisatorischeEenheid }],
        toelichting: task.toelichting,
        status: 'te_verwerken',
      }),
    });
  }
  return steps;
}
