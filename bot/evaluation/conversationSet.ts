/**
 * The scripted conversations (knowledge/eval/conversations/conversations.json): their shape, loading and
 * validation. The file is evaluation data, written apart from the training data and from the
 * fixes; knowledge/eval/conversations/README.md says how. Validation keeps it honest: ids unique, every check
 * known, every municipality, topic, article and service id real, and every expected figure
 * traceable to the item of the knowledge data its `source` names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeRoot } from '../../knowledge/paths.js';
import { isTopicId } from '../../knowledge/topics.js';
import type { KnowledgeBase } from '../../knowledge/index.js';

export const DEFAULT_CONVERSATIONS_PATH = join(knowledgeRoot, 'eval', 'conversations', 'conversations.json');

/** One expected piece of text; a list means "any of these". */
export type Needle = string | string[];

export interface TurnExpect {
  /** Each needle must appear in the turn's text (messages and cards). */
  mustContain?: Needle[];
  /** None of these may appear. */
  mustNotContain?: string[];
  /** The wmoTopic of the turn's last message (a list: any of these). */
  topic?: string | string[];
  /** A reply cites this article (any of a list): a citation or the text carries its title. */
  citesArticle?: string | string[];
  /** At most this many messages in the turn (default: the set's `defaults.maxMessages`). */
  maxMessages?: number;
  /** The turn must offer buttons, on its last message. */
  buttonsOnLast?: boolean;
  /** These button labels must be on the last message. */
  buttons?: string[];
  /** The number for this kind of safety signal (any of a list) must be shown. */
  safetyNumber?: Needle;
  /** After this turn a melding is stored whose story holds / does not hold these. */
  storedStory?: { contains?: Needle[]; notContains?: string[] };
  /** The reply is not a safety answer (no veiligheid topic, no safety warning in the log). */
  notSafety?: boolean;
  /** This turn may say it did not understand (e.g. gibberish); otherwise that is a failure. */
  mayNotUnderstand?: boolean;
  /** This turn holds the conversation's main answer (default: the last turn with answer checks). */
  main?: boolean;
}

export interface Turn {
  /** What the resident types. */
  say?: string;
  /** The label of a button the resident presses (it must be visible: on the last message). */
  press?: string;
  /** Repeat `say` until the message is at least this long (an over-long message). */
  padTo?: number;
  /** Where the expected figures come from: "kb:<file>/<id>" or "wmo-facts: <section>". */
  source?: string | string[];
  expect?: TurnExpect;
}

export interface Conversation {
  id: string;
  class: string;
  /** CBS code the page passes (webchat/join), or null when the page does not know it. */
  gemeente: string | null;
  description: string;
  /** ISO time of the fixed clock, when not the set's default. */
  clock?: string;
  turns: Turn[];
}

export interface ConversationSet {
  about: string;
  defaults: { maxMessages: number; clock: string };
  /** Failure classes of issue 9, plus "happy-path". */
  classes: Record<string, string>;
  /** Replies that say the bot did not understand: a failure unless the turn allows it. */
  notUnderstood: string[];
  /** Raw formatting a resident should never see (doubled names, machine opening hours). */
  rawText: string[];
  conversations: Conversation[];
}

export const CHECKS = [
  'mustContain',
  'mustNotContain',
  'topic',
  'citesArticle',
  'maxMessages',
  'buttonsOnLast',
  'buttons',
  'safetyNumber',
  'storedStory',
  'notSafety',
  'mayNotUnderstand',
  'main',
] as const;

/** The checks that say whether the resident got the answer; the rest are about its form. */
export const ANSWER_CHECKS = ['mustContain', 'safetyNumber', 'storedStory', 'citesArticle'] as const;

const TURN_KEYS = ['say', 'press', 'padTo', 'source', 'expect'];
const CONVERSATION_KEYS = ['id', 'class', 'gemeente', 'description', 'clock', 'turns'];
const WMO_FACTS_SECTIONS = [
  'Procedure',
  'Costs',
  'Huishoudelijke hulp',
  'Mantelzorg',
  'Vrijwilligerswerk',
  'Safety',
  'Neighbouring laws',
];

export function loadConversationSet(path = DEFAULT_CONVERSATIONS_PATH): ConversationSet {
  return JSON.parse(readFileSync(path, 'utf8')) as ConversationSet;
}

export function needles(needle: Needle): string[] {
  return Array.isArray(needle) ? needle : [needle];
}

/** Lower case, one space, no Markdown emphasis, "€ 21,80" as "€21,80". */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[*_`]/g, '')
    .replace(/€\s+/g, '€')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A phone number in a needle ("0800-2000", "035 000 11 47") matches however it is spaced. */
function phonePattern(needle: string): RegExp | undefined {
  if (!/^[\d\s-]+$/.test(needle) || needle.replace(/\D/g, '').length < 3) return undefined;
  const digits = needle.replace(/\D/g, '').split('');
  return new RegExp(`(?<!\\d)${digits.join('[\\s-]?')}(?!\\d)`);
}

export function textHas(text: string, needle: string): boolean {
  const phone = phonePattern(needle);
  if (phone) return phone.test(text);
  return normalizeText(text).includes(normalizeText(needle));
}

/** Items of the knowledge base a `kb:` source can name. */
function kbItem(kb: KnowledgeBase, source: string): unknown {
  const match = /^kb:([a-z-]+)\/(.+)$/.exec(source);
  if (!match) return undefined;
  const [, file, id] = match;
  switch (file) {
    case 'municipalities':
      return kb.municipality(id);
    case 'provisions':
      return kb.provisions.find((p) => p.id === id);
    case 'articles':
      return kb.articles.find((a) => a.id === id);
    case 'sociale-kaart':
      return kb.service(id);
    default:
      return undefined;
  }
}

/** Problems in the set, each naming the conversation (and turn) it is about; empty when valid. */
export function validateConversationSet(set: ConversationSet, kb: KnowledgeBase): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  if (!set.defaults || typeof set.defaults.maxMessages !== 'number' || Number.isNaN(Date.parse(set.defaults.clock)))
    problems.push('defaults: maxMessages (number) and clock (ISO time) are required');
  if (!Array.isArray(set.notUnderstood) || set.notUnderstood.length === 0) problems.push('notUnderstood: a list of phrases is required');
  if (!Array.isArray(set.rawText)) problems.push('rawText: a list of texts is required');
  for (const c of set.conversations ?? []) {
    const at = `conversation ${c.id ?? '(no id)'}`;
    if (!c.id || typeof c.id !== 'string') problems.push(`${at}: id is required`);
    else if (ids.has(c.id)) problems.push(`${at}: id is not unique`);
    ids.add(c.id);
    for (const key of Object.keys(c)) if (!CONVERSATION_KEYS.includes(key)) problems.push(`${at}: unknown field "${key}"`);
    if (!set.classes?.[c.class]) problems.push(`${at}: unknown class "${c.class}"`);
    if (c.gemeente !== null && !kb.municipality(c.gemeente)) problems.push(`${at}: unknown municipality "${c.gemeente}"`);
    if (!c.description) problems.push(`${at}: description is required`);
    if (c.clock !== undefined && Number.isNaN(Date.parse(c.clock))) problems.push(`${at}: clock is not a time`);
    if (!Array.isArray(c.turns) || c.turns.length === 0) {
      problems.push(`${at}: at least one turn is required`);
      continue;
    }
    c.turns.forEach((turn, i) => problems.push(...validateTurn(turn, `${at} turn ${i + 1}`, kb)));
  }
  return problems;
}

function validateTurn(turn: Turn, at: string, kb: KnowledgeBase): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(turn)) if (!TURN_KEYS.includes(key)) problems.push(`${at}: unknown field "${key}"`);
  if ((turn.say === undefined) === (turn.press === undefined)) problems.push(`${at}: exactly one of "say" and "press" is required`);
  const expect = turn.expect ?? {};
  for (const key of Object.keys(expect)) if (!(CHECKS as readonly string[]).includes(key)) problems.push(`${at}: unknown check "${key}"`);
  for (const topic of [expect.topic ?? []].flat()) if (!isTopicId(topic)) problems.push(`${at}: unknown topic "${topic}"`);
  for (const id of [expect.citesArticle ?? []].flat())
    if (!kb.articles.some((a) => a.id === id) && !kb.provisions.some((p) => p.id === id)) problems.push(`${at}: unknown article "${id}"`);

  const sources = [turn.source ?? []].flat();
  for (const source of sources) {
    if (source.startsWith('kb:')) {
      if (kbItem(kb, source) === undefined) problems.push(`${at}: source "${source}" names no item of the knowledge data`);
    } else if (!WMO_FACTS_SECTIONS.some((s) => source === `wmo-facts: ${s}`)) {
      problems.push(`${at}: source "${source}" is neither "kb:<file>/<id>" nor "wmo-facts: <section>"`);
    }
  }
  // Every expected figure says where it comes from; a figure from the knowledge data must be in the item named.
  const figures = [...(expect.mustContain ?? []), ...(expect.safetyNumber ? [expect.safetyNumber] : [])].filter((n) => needles(n).some((s) => /\d/.test(s)));
  if (figures.length && sources.length === 0) problems.push(`${at}: expected figures need a "source"`);
  const kbSources = sources.filter((s) => s.startsWith('kb:'));
  if (kbSources.length && kbSources.length === sources.length) {
    const haystack = kbSources.map((s) => JSON.stringify(kbItem(kb, s) ?? '')).join(' ');
    for (const figure of figures)
      if (!needles(figure).some((n) => textHas(haystack, n))) problems.push(`${at}: figure ${JSON.stringify(figure)} is not in ${kbSources.join(', ')}`);
  }
  return problems;
}
