/**
 * A new message outside a flow that needs no topic classifier: a menu button, the name of a
 * municipality, loneliness or grief, a question about one's own case, a bare "ja", the loket's hours.
 */
import { STOPWORDS, tokenize } from '../../../knowledge/nlp/dutch.js';
import { findMunicipalityInText } from '../../../knowledge/places.js';
import type { Municipality } from '../../../knowledge/types.js';
import type { TopicId } from '../../../knowledge/topics.js';
import { normalizeAnswer } from '../../choices.js';
import { fill } from '../../content.js';
import { MEDEWERKER_DIALOG, type MedewerkerStart } from '../../flows/medewerkerDialog.js';
import { addPreface, setReplyTopic } from '../../replies.js';
import { findServices, serviceContact } from '../../socialeKaart.js';
import { contactMessage } from '../../contactCard.js';
import { sendMenu, startTopic } from '../actions.js';
import { hasLocalAnswer } from '../../local.js';
import { answerLocalNeed } from './localNeed.js';
import type { Turn } from '../turn.js';

/** Topics that are not a practical need next to loneliness. */
const NOT_A_NEED: TopicId[] = ['groet', 'buiten-bereik', 'sociale-kaart', 'begeleiding'];

export async function newQuestion(turn: Turn): Promise<boolean> {
  const { context, deps, data, text, signals, u, dc } = turn;
  const { content } = deps;
  const button = content.general.menu.find((c) => normalizeAnswer(c.label) === normalizeAnswer(text));
  if (button) return done(startTopic(turn, button.id as TopicId, 1, text, true));
  // "Andere gemeente" after the question where the resident lives (localNeed.ts): where to go instead.
  const other = content.general.gemeente.other;
  if (data.localNeed && [other.label, ...(other.synonyms ?? [])].some((t) => normalizeAnswer(t) === normalizeAnswer(text))) {
    data.localNeed = undefined;
    setReplyTopic(context, 'sociale-kaart', 1);
    return done(sendMenu(context, deps, `${content.general.gemeente.notInRegion} ${content.general.texts.closing}`));
  }
  // "Ik woon in Bussum en zoek het wijkteam": remember Gooise Meren, then answer.
  const gemeente = mentionedGemeente(turn);
  if (gemeente && normalizeAnswer(text).split(' ').length <= 5) {
    // Just the name of a municipality: remember it, as if it had been asked.
    data.gemeente = gemeente.code;
    // "is er een steunpunt?" asked before the town was known: now the local answer.
    const need = data.localNeed ? deps.kb.provisions.find((p) => p.id === data.localNeed) : undefined;
    if (need && hasLocalAnswer(deps.kb, need, gemeente.code)) return answerLocalNeed(turn, need, need.topics as TopicId[]);
    setReplyTopic(context, 'sociale-kaart', 1);
    return done(sendMenu(context, deps, `${fill(content.general.gemeente.saved, { gemeente: gemeente.name })} ${content.general.texts.closing}`));
  }
  if (gemeente) data.gemeente = gemeente.code;
  const lonely = signals.lonely(text);
  // Only for a lonely message: whether it names a need besides (the check looks at every lonely phrase).
  const otherNeed = lonely && u.band === 'high' && !NOT_A_NEED.includes(u.topic) && needBesidesFeeling(turn);
  if (otherNeed && !signals.grief(text)) {
    // Lonely and a practical need ("… en ik kan mijn huis niet meer schoonmaken"): both count.
    addPreface(context, content.general.texts.lonely);
  } else if (lonely || signals.grief(text)) {
    return done(answerLonely(turn));
  }
  if (signals.aboutOwnCase(text)) {
    // The bot cannot see a file or call back: say so, and give the loket that can.
    setReplyTopic(context, 'medewerker', 1);
    await context.sendActivity(content.general.texts.cannotSeeCase);
    return done(dc.beginDialog(MEDEWERKER_DIALOG));
  }
  if (signals.acknowledgement(text)) {
    // A bare "ja" or "ok" with nothing open: not a question to puzzle over.
    setReplyTopic(context, 'groet', 1);
    return done(sendMenu(context, deps, content.general.texts.howCanIHelp));
  }
  if (signals.aboutLoket(text)) {
    // "Wanneer is het loket open?": the loket's own hours and whether it is open now, not a search hit.
    setReplyTopic(context, 'sociale-kaart', 1);
    return done(dc.beginDialog(MEDEWERKER_DIALOG, { loketOnly: true } satisfies MedewerkerStart));
  }
  return false;
}

async function done(action: Promise<unknown>): Promise<true> {
  await action;
  return true;
}

/**
 * The message still names a need without its words of loneliness and feeling: two words of its own ("ik voel me
 * alleen en ik kan mijn huis niet meer schoonmaken"). "ik voel me de laatste tijd zo somber" alone is sure of
 * mantelzorg only because carers say so too.
 */
function needBesidesFeeling(turn: Turn): boolean {
  const { lonely, feelingWords } = turn.deps.content.signals;
  let rest = ` ${normalizeAnswer(turn.text)} `;
  for (const phrase of lonely.map(normalizeAnswer)) rest = rest.replaceAll(` ${phrase} `, ' ');
  const feeling = new Set(feelingWords.map(normalizeAnswer));
  return tokenize(rest).filter((w) => !STOPWORDS.has(w) && !feeling.has(w)).length >= 2;
}

/** Loneliness or grief is not a Wmo provision, but nobody who says so gets "I do not understand". */
async function answerLonely(turn: Turn): Promise<void> {
  const { context, deps, data } = turn;
  const { content, kb } = deps;
  setReplyTopic(context, 'sociale-kaart', 1);
  await context.sendActivity(content.general.texts.lonely);
  const [place] = findServices(kb, content.general.searches.lonely, { gemeente: data.gemeente, limit: 1 });
  if (place) await context.sendActivity(contactMessage(content.general, [serviceContact(kb, place, deps.now())], content.answers.localIntro));
  await sendMenu(context, deps, content.general.texts.closing);
}

/**
 * A municipality the resident names: the town alone ("Bussum", "hilversm"), or in a sentence that
 * says where they live ("ik woon eigenlijk in Blaricum"). A town in another sentence ("er staan
 * huizen te koop") is not taken as where they live.
 */
function mentionedGemeente(turn: Turn): Municipality | undefined {
  const found = findMunicipalityInText(turn.text, turn.deps.kb.municipalities);
  if (!found || found.code === turn.data.gemeente) return undefined;
  const short = normalizeAnswer(turn.text).split(' ').length <= 5;
  return short || /\b(woon|wonen|woont|gemeente|kom uit)\b/i.test(turn.text) ? found : undefined;
}
