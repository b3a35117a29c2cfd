/** A danger signal interrupts anything: the right number first, then a person is offered. */
import { openChoices, openPrompt } from '../../flows/flowBase.js';
import { normalizeAnswer } from '../../choices.js';
import type { SafetySignal } from '../../ports.js';
import { setReplyTopic } from '../../replies.js';
import { activeService, findServices, serviceContact } from '../../socialeKaart.js';
import { contactMessage } from '../../contactCard.js';
import { offerPerson } from '../actions.js';
import { containsPhrase } from '../../signals.js';
import { ruleFor } from './referral.js';
import { isExactChoice, type Turn } from '../turn.js';

export async function safety(turn: Turn): Promise<boolean> {
  const signal = turn.u.safety;
  if (!signal || !applies(turn, signal)) return false;
  turn.data.pending = { kind: 'afterSafety', signal: signal.matched ? signal.kind : 'general' };
  await sendSafety(turn, signal);
  return true;
}

/**
 * A danger phrase interrupts everything, except a button the bot itself offered, pressed as
 * is ("Mijn partner"). The classifier's safety net alone (no phrase matched) interrupts only
 * outside a question: inside one it fires on ordinary answers ("Ik weet niet waar ik moet
 * beginnen"), and alarming a resident who is telling their story does harm too.
 */
function applies(turn: Turn, signal: SafetySignal): boolean {
  // A button the bot itself offered, pressed as is, is an answer: no alarm, and nothing to warn about.
  const label = (openChoices(turn.dc) ?? []).some((c) => normalizeAnswer(c.value) === normalizeAnswer(turn.text));
  if (label || (!signal.matched && isExactChoice(turn.dc, turn.text))) return false;
  // The net alone, on a need that plainly belongs to another law ("moet hij naar een verpleeghuis"): the referral answers it.
  if (!signal.matched && ruleFor(turn.text, turn.deps.content.signals.referrals.rules)) {
    turn.deps.logger?.warn({ kind: signal.kind }, 'safety net signal on a referral question: not interrupted');
    return false;
  }
  if (!signal.matched && openPrompt(turn.dc) !== undefined) {
    turn.deps.logger?.warn({ kind: signal.kind }, 'safety net signal while answering a question: not interrupted');
    return false;
  }
  return true;
}

/**
 * After violence at home (now or earlier in the conversation), nowhere to go or wanting to get away
 * ("ik wil weg, waar moet ik heen", "ik durf niet thuis te slapen"): the opvang, not the night shelter.
 */
export function leavesUnsafeHome(turn: Turn, kinds: readonly string[] = []): boolean {
  const violence = kinds.includes('huiselijk-geweld') || (turn.data.safety ?? []).includes('huiselijk-geweld');
  return violence && (kinds.includes('dakloos') || containsPhrase(turn.text, turn.deps.content.safety.leaveHomeWords));
}

/** Nowhere to go because home is not safe: the opvang for domestic violence (one card), not the night shelter. */
export async function sendViolenceShelter(turn: Turn): Promise<void> {
  const { content, kb, now } = turn.deps;
  setReplyTopic(turn.context, 'veiligheid', 1);
  const places = findServices(kb, content.general.searches.violenceShelter, { gemeente: turn.data.gemeente, limit: 1 }).map((s) => serviceContact(kb, s, now()));
  await turn.context.sendActivity(places.length ? contactMessage(content.general, places, content.safety.violenceShelter) : content.safety.violenceShelter);
}

async function sendSafety(turn: Turn, signal: SafetySignal): Promise<void> {
  const { content, kb, now } = turn.deps;
  const context = turn.context;
  setReplyTopic(context, 'veiligheid', 1);
  const kinds = signal.matched ? [signal.kind, ...(signal.also ?? [])] : [];
  const seen = turn.data.safety ?? [];
  turn.data.safety = [...new Set([...seen, ...kinds])];
  if (turn.flow) turn.data.flowWaits = turn.flow.id; // the flow goes on only when the resident asks
  const contacts = (search: string, limit: number) => findServices(kb, search, { gemeente: turn.data.gemeente, limit }).map((s) => serviceContact(kb, s, now()));
  // The safety text with the places as one card (only the text when the sociale kaart has none).
  const withPlaces = (text: string, places: ReturnType<typeof contacts>) => (places.length ? contactMessage(content.general, places, text) : text);
  if (leavesUnsafeHome(turn, kinds)) {
    await sendViolenceShelter(turn);
  } else if (!signal.matched) {
    // Only the classifier's safety net fired: no phrase says which danger, so give every number.
    await context.sendActivity(content.safety.general);
  } else if (signal.kind === 'acuut-gevaar' && containsPhrase(turn.text, content.safety.psychCrisisWords)) {
    // Someone in a psychiatric crisis: the local crisis service, day and night, next to 112.
    await context.sendActivity(withPlaces(content.safety.psychCrisis, contacts(content.general.searches.psychCrisis, 1)));
  } else if (signal.kind === 'dakloos') {
    const places = contacts(content.general.searches.shelter, 2);
    await context.sendActivity(places.length ? withPlaces(content.safety.dakloos, places) : `${content.safety.dakloos}\n\n${content.safety.dakloosNoService}`);
  } else {
    // The most urgent kind leads; every other kind the message showed adds its own number.
    const also = kinds.slice(1).filter((k) => k !== 'dakloos').map((k) => content.safety.also[k]);
    await context.sendActivity([content.safety[signal.kind], also.join('\n')].filter(Boolean).join('\n\n'));
    // Someone describing neglect of another: the municipality's wijkteam can go and see, as a next step after Veilig Thuis.
    const m = signal.cueGroup && turn.data.gemeente ? kb.municipality(turn.data.gemeente) : undefined;
    const team = activeService(kb, m?.settings.wijkteamServiceId);
    const example = kb.socialeKaart.example ? content.answers.example : undefined;
    if (team) await context.sendActivity(contactMessage(content.general, [serviceContact(kb, team, now())], content.safety.neglectNextStep, example));
  }
  await offerPerson(turn, turn.flow?.title);
}
