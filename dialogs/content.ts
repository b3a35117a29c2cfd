/**
 * The bot's wording, loaded from knowledge/content/*.json so a knowledge manager can edit it
 * without touching code. loadContent() checks the files once at start-up: a missing text, an
 * empty choice list or an unknown {placeholder} is reported with the file and the path to fix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopicId } from '../knowledge/topics.js';
import { knowledgeRoot } from '../knowledge/paths.js';

export interface ContentChoice {
  id: string;
  label: string;
  synonyms?: string[];
}

export interface Question {
  text: string;
  retry?: string;
  choices?: ContentChoice[];
}

export interface FlowContent<Q extends string = string, T extends string = string> {
  topic: TopicId;
  title: string;
  intro: string;
  questions: Record<Q, Question>;
  texts: Record<T, string>;
}

export type GlobalWord = 'stop' | 'opnieuw' | 'terug' | 'help' | 'medewerker';

export interface GeneralContent {
  welcome: string[];
  menu: ContentChoice[];
  topicLabels: Record<TopicId, string>;
  globalWords: Record<GlobalWord, string[]>;
  texts: Record<string, string>;
  personalKinds: Record<string, string>;
  bands: { middle: string; noneOfThese: string; noneReply: string; low: string; rephraseLabel: string; rephraseReply: string };
  english: string;
  switch: { question: string; yes: ContentChoice; no: ContentChoice };
  flowOffer: { question: string; yes: ContentChoice; no: ContentChoice };
  continueWords: string[];
  ordinals: Record<string, string[]>;
  choiceRetry: string;
  gemeente: { question: string; retry: string; saved: string; notInRegion: string };
  medewerker: { intro: string; contact: string; openNow: string; closedNow: string; noLiveChat: string };
  weekdays: string[];
}

export type SafetyKind = 'acuut-gevaar' | 'suicide' | 'huiselijk-geweld' | 'dakloos';

export type SafetyContent = Record<
  SafetyKind | 'dakloosNoService' | 'general' | 'listen' | 'offerPerson' | 'stayWithYou' | 'dayAndNight' | 'stopAfterSafety',
  string
>;

export interface AnswersContent {
  intro: string;
  complaint: string;
  needsGemeente: TopicId[];
  noHit: string;
  localIntro: string;
  sourceLabel: string;
  followUp: string;
  example: string;
}

export type HuishoudelijkeHulpContent = FlowContent<
  'wat' | 'sinds' | 'duur' | 'huishouden' | 'geregeld' | 'verder',
  'gebruikelijkeHulp' | 'tijdelijk' | 'alWmo' | 'algemeen' | 'geenAlgemeen' | 'procedure' | 'kosten' | 'clientondersteuning' | 'klaar'
>;
export type MantelzorgContent = FlowContent<
  'voorWie' | 'uren' | 'zwaar' | 'vandaag' | 'behoefte' | 'respijtVorm' | 'nogIets',
  | 'zwaarOffer' | 'consulentContact' | 'geenConsulent' | 'belVandaag' | 'respijt' | 'respijtKosten' | 'waardering'
  | 'waarderingTot' | 'waarderingVoorbeeld' | 'consulent' | 'lotgenoten' | 'jong' | 'werk' | 'geenDienst' | 'landelijk' | 'klaar'
>;
export type VrijwilligerswerkContent = FlowContent<
  'route' | 'interesse' | 'uren' | 'hulp' | 'info',
  | 'centrale' | 'vacatures' | 'geenVacatures' | 'zoekenIntro' | 'zoekenGeen' | 'organisatie' | 'vergoeding' | 'vog'
  | 'verzekering' | 'klaar'
>;
export type MeldingContent = FlowContent<
  'onderwerp' | 'situatie' | 'geprobeerd' | 'huishouden' | 'spoed' | 'toestemming' | 'contactManier' | 'contactWanneer' | 'telefoon' | 'email',
  'acuut' | 'samenvatting' | 'nietVerstuurd' | 'opgeslagen' | 'wat-nu' | 'rechten' | 'opslagFout' | 'geenEmail'
> & { medicalTerms: string[] };

export interface SignalsContent {
  lonely: string[];
  grief: string[];
  thanks: string[];
  goodbye: string[];
  acknowledgements: string[];
  loket: { place: string[]; ask: string[] };
  ownCase: { about: string[]; ask: string[]; always: string[] };
  complaint: { words: string[]; notAbout: string[] };
  questionWords: string[];
}

/** The handoff to a person (medewerker.json): consent, queue, callback, the texts the handoff service sends. */
export interface MedewerkerContent {
  consent: Question & { choices: ContentChoice[] };
  callback: Question & { choices: ContentChoice[] };
  phone: Question;
  dagdeel: Question & { choices: ContentChoice[] };
  leave: { label: string; words: string[] };
  texts: Record<
    | 'noConsent' | 'nobodyAvailable' | 'queued' | 'stillWaiting' | 'positionUpdate' | 'claimed' | 'assigned' | 'returned' | 'closed'
    | 'leftQueue' | 'leftChat' | 'timeout' | 'noCallback' | 'callbackSaved' | 'hubAccepted' | 'hubFailed' | 'hubCompleted',
    string
  >;
  dagdeelText: Record<'ochtend' | 'middag' | 'maakt-niet-uit', string>;
}

export interface Content {
  general: GeneralContent;
  medewerker: MedewerkerContent;
  signals: SignalsContent;
  safety: SafetyContent;
  answers: AnswersContent;
  huishoudelijkeHulp: HuishoudelijkeHulpContent;
  mantelzorg: MantelzorgContent;
  vrijwilligerswerk: VrijwilligerswerkContent;
  melding: MeldingContent;
}

/** Placeholders the code fills in; anything else in braces is a typo in the content. */
export const PLACEHOLDERS = [
  'gemeente', 'flow', 'topic', 'telefoon', 'email', 'adres', 'openingstijden', 'loket', 'wat', 'jaar', 'vorm', 'hoe',
  'datum', 'referentie', 'onderwerp', 'situatie', 'geprobeerd', 'huishouden', 'spoed', 'naam', 'positie', 'minuten', 'dagdeel',
] as const;

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Content files have ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    this.name = 'ContentError';
  }
}

const FILES: Record<keyof Content, string> = {
  general: 'general.json',
  safety: 'safety.json',
  answers: 'answers.json',
  huishoudelijkeHulp: 'huishoudelijke-hulp.json',
  mantelzorg: 'mantelzorg.json',
  vrijwilligerswerk: 'vrijwilligerswerk.json',
  melding: 'melding.json',
  signals: 'signals.json',
  medewerker: 'medewerker.json',
};

/** The questions and texts every flow file must have: the code asks for them by these names. */
const REQUIRED: Record<'huishoudelijkeHulp' | 'mantelzorg' | 'vrijwilligerswerk' | 'melding', { choice: string[]; text: string[]; texts: string[] }> = {
  huishoudelijkeHulp: {
    choice: ['wat', 'sinds', 'duur', 'huishouden', 'geregeld', 'verder'],
    text: [],
    texts: ['gebruikelijkeHulp', 'tijdelijk', 'alWmo', 'algemeen', 'geenAlgemeen', 'procedure', 'kosten', 'clientondersteuning', 'klaar'],
  },
  mantelzorg: {
    choice: ['voorWie', 'uren', 'zwaar', 'vandaag', 'behoefte', 'respijtVorm', 'nogIets'],
    text: [],
    texts: ['zwaarOffer', 'consulentContact', 'geenConsulent', 'belVandaag', 'respijt', 'respijtKosten', 'waardering', 'waarderingTot', 'waarderingVoorbeeld', 'consulent', 'lotgenoten', 'jong', 'werk', 'geenDienst', 'landelijk', 'klaar'],
  },
  vrijwilligerswerk: {
    choice: ['route', 'interesse', 'uren', 'hulp', 'info'],
    text: [],
    texts: ['centrale', 'vacatures', 'geenVacatures', 'zoekenIntro', 'zoekenGeen', 'organisatie', 'vergoeding', 'vog', 'verzekering', 'klaar'],
  },
  melding: {
    choice: ['onderwerp', 'huishouden', 'spoed', 'toestemming', 'contactManier', 'contactWanneer'],
    text: ['situatie', 'geprobeerd', 'telefoon', 'email'],
    texts: ['acuut', 'samenvatting', 'nietVerstuurd', 'opgeslagen', 'wat-nu', 'rechten', 'opslagFout', 'geenEmail'],
  },
};

/** The wording files: knowledge/content in the repository, from source and from dist/ alike. */
export function defaultContentDir(): string {
  return join(knowledgeRoot, 'content');
}

export function loadContent(dir: string = defaultContentDir()): Content {
  const problems: string[] = [];
  const loaded: Partial<Record<keyof Content, unknown>> = {};
  for (const [key, file] of Object.entries(FILES) as Array<[keyof Content, string]>) {
    try {
      loaded[key] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: cannot be read as JSON (${(error as Error).message})`);
    }
  }
  if (problems.length) throw new ContentError(problems);
  const content = loaded as Content;
  problems.push(...checkContent(content));
  if (problems.length) throw new ContentError(problems);
  return content;
}

/** Every problem in the content, as "file: path: what is wrong". Empty when all is well. */
export function checkContent(content: Content): string[] {
  const problems: string[] = [];
  const text = (file: string, path: string, value: unknown) => {
    if (typeof value !== 'string' || !value.trim()) {
      problems.push(`${file}: ${path}: missing text`);
      return;
    }
    for (const [, name] of value.matchAll(/\{([^}]*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(name)) problems.push(`${file}: ${path}: unknown placeholder {${name}}`);
    }
    if (value.split(/\n\s*\n/).length > 3) problems.push(`${file}: ${path}: more than three paragraphs`);
  };
  const phrases = (path: string, list: unknown) => {
    if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string' || !p.trim())) {
      problems.push(`${FILES.signals}: ${path}: needs a list of phrases`);
    }
  };
  const sig = content.signals;
  for (const key of ['lonely', 'grief', 'thanks', 'goodbye', 'acknowledgements', 'questionWords'] as const) phrases(key, sig?.[key]);
  phrases('loket.place', sig?.loket?.place);
  phrases('loket.ask', sig?.loket?.ask);
  for (const key of ['about', 'ask', 'always'] as const) phrases(`ownCase.${key}`, sig?.ownCase?.[key]);
  phrases('complaint.words', sig?.complaint?.words);
  phrases('complaint.notAbout', sig?.complaint?.notAbout);
  const choices = (file: string, path: string, list: unknown) => {
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`${file}: ${path}: needs at least one choice`);
      return;
    }
    const ids = new Set<string>();
    list.forEach((choice: ContentChoice, i) => {
      if (!choice?.id) problems.push(`${file}: ${path}[${i}]: missing id`);
      else if (ids.has(choice.id)) problems.push(`${file}: ${path}[${i}]: duplicate id "${choice.id}"`);
      ids.add(choice?.id);
      text(file, `${path}[${i}].label`, choice?.label);
    });
  };

  const g = content.general;
  (g.welcome ?? []).forEach((line, i) => text(FILES.general, `welcome[${i}]`, line));
  if (!g.welcome?.length) problems.push(`${FILES.general}: welcome: missing`);
  choices(FILES.general, 'menu', g.menu);
  for (const word of ['stop', 'opnieuw', 'terug', 'help', 'medewerker'] as const) {
    if (!g.globalWords?.[word]?.length) problems.push(`${FILES.general}: globalWords.${word}: needs at least one word`);
  }
  for (const key of ['stopped', 'nothingToStop', 'restarted', 'nothingToRestart', 'back', 'backFirst', 'backNothing', 'help', 'helpInFlow', 'resume', 'continueLabel', 'personLabel', 'bsnRemoved', 'personalRemoved', 'medicalRemoved', 'greeting', 'outOfScope', 'closing', 'thanks', 'goodbye', 'cannotSeeCase', 'lonely', 'howCanIHelp', 'error']) {
    text(FILES.general, `texts.${key}`, g.texts?.[key]);
  }
  for (const key of ['middle', 'noneOfThese', 'noneReply', 'low', 'rephraseLabel', 'rephraseReply'] as const) text(FILES.general, `bands.${key}`, g.bands?.[key]);
  text(FILES.general, 'english', g.english);
  text(FILES.general, 'switch.question', g.switch?.question);
  text(FILES.general, 'switch.yes.label', g.switch?.yes?.label);
  text(FILES.general, 'switch.no.label', g.switch?.no?.label);
  text(FILES.general, 'flowOffer.question', g.flowOffer?.question);
  text(FILES.general, 'flowOffer.yes.label', g.flowOffer?.yes?.label);
  text(FILES.general, 'flowOffer.no.label', g.flowOffer?.no?.label);
  text(FILES.general, 'choiceRetry', g.choiceRetry);
  for (const key of ['question', 'retry', 'saved', 'notInRegion'] as const) text(FILES.general, `gemeente.${key}`, g.gemeente?.[key]);
  for (const key of ['intro', 'contact', 'openNow', 'closedNow', 'noLiveChat'] as const) text(FILES.general, `medewerker.${key}`, g.medewerker?.[key]);
  if (g.weekdays?.length !== 7) problems.push(`${FILES.general}: weekdays: needs the seven days, Monday first`);

  for (const key of ['acuut-gevaar', 'suicide', 'huiselijk-geweld', 'dakloos', 'dakloosNoService', 'general', 'listen', 'offerPerson', 'stayWithYou', 'dayAndNight', 'stopAfterSafety'] as const) {
    text(FILES.safety, key, content.safety?.[key]);
  }
  for (const key of ['intro', 'complaint', 'noHit', 'localIntro', 'sourceLabel', 'followUp', 'example'] as const) text(FILES.answers, key, content.answers?.[key]);

  for (const [flow, req] of Object.entries(REQUIRED) as Array<[keyof typeof REQUIRED, (typeof REQUIRED)[keyof typeof REQUIRED]]>) {
    const file = FILES[flow];
    const c = content[flow] as FlowContent;
    text(file, 'title', c?.title);
    text(file, 'intro', c?.intro);
    for (const q of req.choice) {
      text(file, `questions.${q}.text`, c?.questions?.[q]?.text);
      choices(file, `questions.${q}.choices`, c?.questions?.[q]?.choices);
    }
    for (const q of req.text) text(file, `questions.${q}.text`, c?.questions?.[q]?.text);
    for (const t of req.texts) text(file, `texts.${t}`, c?.texts?.[t]);
  }
  if (!content.melding?.medicalTerms?.length) problems.push(`${FILES.melding}: medicalTerms: needs at least one term`);
  problems.push(...checkMedewerker(content.medewerker, text, choices));
  return problems;
}

function checkMedewerker(
  c: MedewerkerContent | undefined,
  text: (file: string, path: string, value: unknown) => void,
  choices: (file: string, path: string, list: unknown) => void,
): string[] {
  const file = FILES.medewerker;
  if (!c) return [`${file}: missing`];
  for (const q of ['consent', 'callback', 'dagdeel'] as const) {
    text(file, `${q}.text`, c[q]?.text);
    choices(file, `${q}.choices`, c[q]?.choices);
  }
  text(file, 'phone.text', c.phone?.text);
  text(file, 'leave.label', c.leave?.label);
  const texts = ['noConsent', 'nobodyAvailable', 'queued', 'stillWaiting', 'positionUpdate', 'claimed', 'assigned', 'returned', 'closed', 'leftQueue', 'leftChat', 'timeout', 'noCallback', 'callbackSaved', 'hubAccepted', 'hubFailed', 'hubCompleted'] as const;
  for (const key of texts) text(file, `texts.${key}`, c.texts?.[key]);
  for (const key of ['ochtend', 'middag', 'maakt-niet-uit'] as const) text(file, `dagdeelText.${key}`, c.dagdeelText?.[key]);
  return c.leave?.words?.length ? [] : [`${file}: leave.words: needs at least one word`];
}

/** Fill {placeholders}; a value that is missing stays visible as "…" rather than "{name}". */
export function fill(template: string, values: Partial<Record<(typeof PLACEHOLDERS)[number], string | number>> = {}): string {
  return template.replace(/\{([^}]*)\}/g, (_, name: string) => {
    const value = (values as Record<string, string | number | undefined>)[name];
    return value === undefined || value === '' ? '…' : String(value);
  });
}
