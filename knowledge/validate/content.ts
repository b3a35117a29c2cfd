/**
 * The contract of the wording files in knowledge/content/: one zod schema per file, from which
 * both the TypeScript types (dialogs/content.ts) and the checks (npm run kb:check, server start)
 * come. Besides shape, a schema says which choice ids a flow branches on, which {placeholders}
 * the code fills in, and that a text is short enough for one chat message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { knowledgeRoot } from '../paths.js';
import { TOPICS } from '../topics.js';
import type { Problem } from '../types.js';
import { SAFETY_KINDS } from '../understanding/safety.js';
import { schemaProblems } from './schema.js';

/** Placeholders the code fills in; anything else in braces is a typo in the content. */
export const PLACEHOLDERS = [
  'gemeente', 'flow', 'topic', 'telefoon', 'email', 'adres', 'openingstijden', 'loket', 'wat', 'jaar', 'vorm', 'hoe',
  'datum', 'referentie', 'onderwerp', 'situatie', 'geprobeerd', 'huishouden', 'spoed', 'naam', 'positie', 'minuten', 'dagdeel',
] as const;

/** A text the resident reads: not empty, known placeholders only, at most three paragraphs. */
const text = z.string({ required_error: 'missing text' }).superRefine((value, ctx) => {
  if (!value.trim()) return ctx.addIssue({ code: 'custom', message: 'missing text' });
  for (const [, name] of value.matchAll(/\{([^}]*)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}}` });
  }
  if (value.split(/\n\s*\n/).length > 3) ctx.addIssue({ code: 'custom', message: 'more than three paragraphs' });
});

/** Words or phrases the bot matches (never shown): a non-empty list of non-empty strings. */
const phrases = z.array(z.string().trim().min(1, 'empty phrase'), { required_error: 'needs a list of phrases' }).min(1, 'needs a list of phrases');
/** Words the bot searches the sociale kaart with. */
const searchWords = z.string({ required_error: 'missing search words' }).trim().min(1, 'missing search words');

/** An object with exactly these texts (extra keys are allowed and ignored). */
function texts<K extends string>(keys: readonly K[]) {
  return z.object(Object.fromEntries(keys.map((k) => [k, text])) as Record<K, typeof text>, { required_error: 'missing' });
}

const choice = z.object({
  id: z.string({ required_error: 'missing id' }).min(1, 'missing id'),
  label: text,
  synonyms: z.array(z.string()).optional(),
  /** A typed number in [min, max] picks this choice ("ongeveer 10 uur" → "8 tot 20 uur"). */
  range: z.tuple([z.number(), z.number()]).optional(),
  /** How long ago, in months, from (inclusive) to (exclusive): "sinds september", "3 weken", "sinds 2024". */
  monthsAgo: z.tuple([z.number(), z.number()]).optional(),
});

/** Buttons; `branches` are the ids the code acts on, so each must be there. */
function choices(branches: readonly string[] = []) {
  return z.array(choice, { required_error: 'needs at least one choice' }).min(1, 'needs at least one choice').superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${c.id}"` });
      seen.add(c.id);
    });
    for (const id of branches) if (!seen.has(id)) ctx.addIssue({ code: 'custom', message: `no choice with id "${id}" (the flow acts on it)` });
  });
}

/** `why`: what the bot says when the resident asks why it asks this, or what it means. */
const choiceQuestion = (branches?: readonly string[]) => z.object({ text, retry: text.optional(), why: text.optional(), choices: choices(branches) });
const textQuestion = z.object({ text, retry: text.optional(), why: text.optional() });

function flowFile<Q extends z.ZodRawShape, T extends string>(questions: Q, textKeys: readonly T[]) {
  return z.object({ topic: z.enum(TOPICS), title: text, intro: text, questions: z.object(questions), texts: texts(textKeys) });
}

const topicLabels = z.object(Object.fromEntries(TOPICS.map((t) => [t, text])) as Record<(typeof TOPICS)[number], typeof text>);

export const generalSchema = z.object({
  welcome: z.array(text).min(1, 'missing'),
  menu: choices().pipe(z.array(choice.extend({ id: z.enum(TOPICS, { message: 'is not a topic id' }) }))),
  topicLabels,
  globalWords: z.object({ stop: phrases, opnieuw: phrases, terug: phrases, help: phrases, medewerker: phrases }),
  texts: texts([
    'stopped', 'nothingToStop', 'restarted', 'nothingToRestart', 'back', 'backFirst', 'backNothing', 'help', 'helpInFlow', 'resume',
    'continueLabel', 'personLabel', 'bsnRemoved', 'personalRemoved', 'medicalRemoved', 'greeting', 'outOfScope', 'closing', 'thanks',
    'goodbye', 'cannotSeeCase', 'lonely', 'howCanIHelp', 'error', 'questionNotKnown', 'whyGeneric', 'callLoket', 'burdenHeard',
  ]),
  personalKinds: z.record(text),
  bands: texts(['middle', 'noneOfThese', 'noneReply', 'low', 'rephraseLabel', 'rephraseReply']).extend({ noneOfTheseSynonyms: phrases }),
  english: text,
  switch: z.object({ question: text, yes: choice, no: choice }),
  flowOffer: z.object({ question: text, yes: choice, no: choice }),
  /** "Verwijder mijn gegevens": the phrases that ask for it, the Ja/Nee question and what the bot says after. */
  erasure: texts(['question', 'done', 'kept', 'cancelled', 'unavailable']).extend({ phrases, yes: choice, no: choice }),
  continueWords: phrases,
  ordinals: z.record(phrases),
  /** Numbers written as words, for choices with a range ("vijf uurtjes"). */
  numberWords: z.record(z.number().int()),
  /** Month names and their number (1–12), for choices with monthsAgo ("sinds september"). */
  monthNames: z.record(z.number().int().min(1).max(12)),
  choiceRetry: text,
  gemeente: texts(['question', 'retry', 'saved', 'notInRegion']).extend({ other: choice }),
  medewerker: texts(['intro', 'openNow', 'closedNow', 'noLiveChat']),
  searches: z.object({ lonely: searchWords, youngCarers: searchWords, shelter: searchWords, violenceShelter: searchWords, psychCrisis: searchWords }),
  contactLabels: texts(['phone', 'email', 'address', 'hours', 'website']),
  weekdays: z.array(text).length(7, 'needs the seven days, Monday first'),
  /** "Did this help?" under an answer from the knowledge base (dialogs/turn/offers.ts, kind 'feedback'). */
  feedback: texts(['thanks', 'askComment', 'thanksComment']).extend({ yes: choice, no: choice, skip: choice }),
  hoursWords: texts(['everyDay', 'dayAndNight', 'temporarilyClosed']),
});

/**
 * A rule that sends a message to one article: every group in `all` needs a phrase, no phrase of
 * `none` may stand in it; an age given must be below youngerThan; `local`: sociale-kaart search
 * words for a place in the resident's municipality shown with the answer (the geldzorgen spreekuur).
 */
const articleRule = z.object({
  article: z.string().min(1),
  all: z.array(phrases).min(1),
  none: phrases.optional(),
  youngerThan: z.number().int().positive().optional(),
  local: searchWords.optional(),
});

export const signalsSchema = z.object({
  lonely: phrases,
  /** Words that say how or since when one feels, not what one needs: left out when looking for a need besides loneliness. */
  feelingWords: phrases,
  grief: phrases,
  thanks: phrases,
  goodbye: phrases,
  acknowledgements: phrases,
  /** The loket's place words and what is asked of it; `call`: asking to phone or visit instead of chatting. */
  loket: z.object({ place: phrases, ask: phrases, call: phrases }),
  ownCase: z.object({ about: phrases, ask: phrases, always: phrases }),
  complaint: z.object({ words: phrases, notAbout: phrases }),
  questionWords: phrases,
  /**
   * A question about the price of help on one of these topics is answered with the costs (topic kosten); "kost het veel tijd" is not about money.
   * saidFree: words by which an answer says it costs nothing ("gratis"): a cost follow-up on it is answered by that answer.
   */
  cost: z.object({ words: phrases, topics: z.array(z.enum(TOPICS)).min(1), notAbout: phrases, saidFree: phrases }),
  /** Verbs that open a yes/no question ("is mantelzorg verplicht"); only where a free-text answer is not expected. */
  yesNoOpeners: phrases,
  /** A short follow-up on the last answer: words that point back, words that go on, the words of a place question without a subject ('waar in de buurt?'), and years said in words. */
  followUp: z.object({
    pointsBack: phrases,
    goesOn: phrases,
    placeWords: phrases,
    years: z.record(z.number().int()),
    /**
     * Follow-ups the last answer itself answers in a sentence: a deadline or its extension ("binnen hoeveel tijd moet
     * ik?", "kan dat langer?"; not "hoe lang duurt dat?"), a phone number ("wat is hun nummer?"). `asks`: the
     * question's words; `said`: the words of the sentences that answer it.
     */
    inLastAnswer: z.array(z.object({ asks: phrases, said: phrases })).min(1),
    /** A subject about young people ("Waar kan ik als jongere terecht?"): its places may be for the young only. */
    youngWords: phrases,
    /** A follow-up that asks how to apply ("hoe vraag ik die aan?"): the last answer's button for the melding. */
    apply: phrases,
  }),
  /** "waarom wilt u dat weten?", "wat bedoelt u?": about the bot's own open question. */
  whyAsk: phrases,
  /** Tiredness or burden typed at a button question ("ik word er zo moe van"): heard, then the question again. */
  burden: phrases,
  /** "wat is de wmo eigenlijk": the openers of a definition question and the words that do not count. */
  definition: z.object({ definitionOpeners: phrases, fillers: phrases }),
  /** A need under another law gets that law's article: every group needs a phrase; an age given must be below youngerThan. */
  referrals: z.object({ rules: z.array(articleRule).min(1) }),
  /** "is er bij ons een …", "waar zit het …": a question for a place; a service named in it is shown at once. */
  asksForPlace: phrases,
  /** A question whose words name its article, whatever the classifier guesses ("hoe lang mag de gemeente over het besluit doen?"). */
  directQuestions: z.object({ rules: z.array(articleRule).min(1) }),
});

export const safetySchema = texts([
  ...SAFETY_KINDS, 'dakloosNoService', 'general', 'listen', 'offerPerson', 'stayWithYou', 'dayAndNight', 'stopAfterSafety',
  'violenceShelter', 'flowWaits', 'psychCrisis', 'neglectNextStep',
]).extend({
  /** One line per kind, added when a message also matched that kind. */
  also: texts(SAFETY_KINDS),
  /** A plain yes to the offer of a person; "ok" and "dank je" are not a yes. */
  yesToPerson: phrases,
  /** Words of a psychiatric crisis ("hoort stemmen"): the local crisis service comes with 112. */
  psychCrisisWords: phrases,
  /** After violence at home, asking where to go ("ik wil weg, waar moet ik heen"): the opvang for domestic violence. */
  leaveHomeWords: phrases,
});

export const answersSchema = texts(['intro', 'complaint', 'noHit', 'localIntro', 'sourceLabel', 'followUp', 'example', 'askGemeenteForLocal', 'notHereLocal']).extend({
  needsGemeente: z.array(z.enum(TOPICS)),
  /**
   * Needs that a provision of the municipality meets without an application (ids in provisions.json):
   * a question with one of these phrases gets the local answer and service directly; with `topics`
   * only when the conversation is about one of them (general words such as "geld" or "hulp").
   */
  localNeeds: z.array(z.object({ provision: z.string().min(1), words: phrases, topics: z.array(z.enum(TOPICS)).optional() })).min(1),
});

export const huishoudelijkeHulpSchema = flowFile(
  {
    wat: choiceQuestion(),
    sinds: choiceQuestion(),
    duur: choiceQuestion(['tijdelijk']),
    huishouden: choiceQuestion(['alleen']),
    geregeld: choiceQuestion(['wmo']),
    verder: choiceQuestion(['melding', 'medewerker', 'klaar']),
  },
  ['gebruikelijkeHulp', 'tijdelijk', 'alWmo', 'algemeen', 'geenAlgemeen', 'procedure', 'kosten', 'clientondersteuning', 'klaar', 'bel'],
).extend({
  /** Per answer to "wat lukt niet meer": the general provisions (ids in provisions.json) to show, best first. */
  provisionsFor: z.record(z.array(z.string().min(1)).min(1)).refine((m) => 'alles' in m, 'needs "alles"'),
  /** Per answer to "wat lukt niet meer": one sentence on that part belonging to huishoudelijke hulp via the Wmo (said with the procedure). */
  wmoCovers: z.record(z.string().min(1)),
});

const MANTELZORG_NEEDS = ['respijt', 'waardering', 'consulent', 'lotgenoten', 'jong', 'werk'] as const;
const RESPIJT_VORMEN = ['logeren', 'dagbesteding', 'vervangend'] as const;
export const mantelzorgSchema = flowFile(
  {
    voorWie: choiceQuestion(),
    uren: choiceQuestion(),
    zwaar: choiceQuestion(['vaak', 'teZwaar']),
    vandaag: choiceQuestion(['ja']),
    behoefte: choiceQuestion(MANTELZORG_NEEDS),
    respijtVorm: choiceQuestion(RESPIJT_VORMEN),
    nogIets: choiceQuestion(['meer', 'melding', 'klaar']),
  },
  [
    'zwaarOffer', 'consulentContact', 'geenConsulent', 'belVandaag', 'respijt', 'respijtKosten', 'waardering', 'waarderingTot', 'waarderingVoorbij',
    'waarderingVoorbeeld', 'consulent', 'lotgenoten', 'jong', 'werk', 'geenDienst', 'landelijk', 'klaar', 'dementie', 'dementieHulp',
  ],
).extend({
  /** Search words per need and per kind of respite care, to find local organisations (dementie: for a carer who said so). */
  searches: z.object(Object.fromEntries(['consulent', 'lotgenoten', 'jong', 'dementie', ...RESPIJT_VORMEN].map((k) => [k, searchWords])) as Record<'consulent' | 'lotgenoten' | 'jong' | 'dementie' | (typeof RESPIJT_VORMEN)[number], typeof searchWords>),
  /** Words that say the person cared for has dementia ("mijn moeder heeft alzheimer"): the flow says so and shows the help for it. */
  dementiaWords: phrases,
});

const INTERESTS = ['ouderen', 'jongeren', 'praktisch', 'kantoor'] as const;
const VOLUNTEER_HELP = ['maatje', 'vervoer', 'boodschappen', 'klussen'] as const;
export const vrijwilligerswerkSchema = flowFile(
  {
    route: choiceQuestion(['worden', 'zoeken']),
    interesse: choiceQuestion(INTERESTS),
    uren: choiceQuestion(),
    hulp: choiceQuestion(VOLUNTEER_HELP),
    info: choiceQuestion(['vergoeding', 'vog', 'verzekering', 'klaar']),
  },
  ['centrale', 'vacatures', 'geenVacatures', 'zoekenIntro', 'zoekenGeen', 'organisatie', 'vergoeding', 'vog', 'verzekering', 'klaar'],
).extend({
  searches: z.object({
    interesse: z.object(Object.fromEntries(INTERESTS.map((k) => [k, searchWords])) as Record<(typeof INTERESTS)[number], typeof searchWords>),
    hulp: z.object(Object.fromEntries(VOLUNTEER_HELP.map((k) => [k, searchWords])) as Record<(typeof VOLUNTEER_HELP)[number], typeof searchWords>),
  }),
});

export const meldingSchema = flowFile(
  {
    onderwerp: choiceQuestion(),
    situatie: textQuestion,
    geprobeerd: textQuestion,
    huishouden: choiceQuestion(),
    spoed: choiceQuestion(['normaal', 'snel', 'acuut']),
    toestemming: choiceQuestion(['ja', 'nee']),
    contactManier: choiceQuestion(['telefoon', 'email']),
    contactWanneer: choiceQuestion(),
    telefoon: textQuestion,
    email: textQuestion,
  },
  ['acuut', 'samenvatting', 'nietVerstuurd', 'opgeslagen', 'wat-nu', 'rechten', 'opslagFout', 'geenEmail'],
).extend({ medicalTerms: phrases });

const DAGDELEN = ['ochtend', 'middag', 'maakt-niet-uit'] as const;

/** The handoff to a person: consent, queue, callback, and the texts the handoff service sends. */
export const medewerkerSchema = z.object({
  consent: choiceQuestion(['ja', 'nee']),
  callback: choiceQuestion(['ja', 'nee']),
  phone: textQuestion,
  dagdeel: choiceQuestion(DAGDELEN),
  leave: z.object({ label: text, words: phrases }),
  texts: texts([
    'noConsent', 'nobodyAvailable', 'queued', 'stillWaiting', 'positionUpdate', 'claimed', 'assigned', 'returned', 'closed',
    'leftQueue', 'leftChat', 'timeout', 'noCallback', 'callbackSaved', 'hubAccepted', 'hubFailed', 'hubCompleted',
  ]),
  dagdeelText: texts(DAGDELEN),
});

/** Each content file with its schema; the key is how the code reaches it (content.general, …). */
export const CONTENT_FILES = {
  general: { file: 'general.json', schema: generalSchema },
  signals: { file: 'signals.json', schema: signalsSchema },
  safety: { file: 'safety.json', schema: safetySchema },
  answers: { file: 'answers.json', schema: answersSchema },
  huishoudelijkeHulp: { file: 'huishoudelijke-hulp.json', schema: huishoudelijkeHulpSchema },
  mantelzorg: { file: 'mantelzorg.json', schema: mantelzorgSchema },
  vrijwilligerswerk: { file: 'vrijwilligerswerk.json', schema: vrijwilligerswerkSchema },
  melding: { file: 'melding.json', schema: meldingSchema },
  medewerker: { file: 'medewerker.json', schema: medewerkerSchema },
} as const;

export type Content = { [K in keyof typeof CONTENT_FILES]: z.infer<(typeof CONTENT_FILES)[K]['schema']> };

/** Every problem in already-parsed content, as Problems naming file and key; empty when all is well. */
export function checkContentData(content: Record<keyof Content, unknown>): Problem[] {
  return (Object.entries(CONTENT_FILES) as Array<[keyof Content, (typeof CONTENT_FILES)[keyof Content]]>).flatMap(([key, { file, schema }]) =>
    schemaProblems(file, schema, content[key]),
  );
}

/** The wording files: knowledge/content in the repository, from source and from dist/ alike. */
export function defaultContentDir(): string {
  return join(knowledgeRoot, 'content');
}

/** Reads and checks every content file: the content when all is well, else every problem. */
export function readContent(dir: string = defaultContentDir()): { content?: Content; problems: Problem[] } {
  const raw: Partial<Record<keyof Content, unknown>> = {};
  const problems: Problem[] = [];
  for (const [key, { file }] of Object.entries(CONTENT_FILES) as Array<[keyof Content, { file: string }]>) {
    try {
      raw[key] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      problems.push({ severity: 'error', file, message: `cannot be read as JSON (${(error as Error).message})` });
    }
  }
  if (problems.length) return { problems };
  problems.push(...checkContentData(raw as Record<keyof Content, unknown>));
  return problems.length ? { problems } : { content: raw as Content, problems };
}
