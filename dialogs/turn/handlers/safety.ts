/** A danger signal interrupts anything: the right number first, then a person is offered. */
import { openChoices, openPrompt } from '../../flows/flowBase.js';
import { normalizeAnswer } from '../../choices.js';
import type { SafetySignal } from '../../ports.js';
import { setReplyTopic } from '../../replies.js';
import { findServices, presentContact, serviceContact } from '../../socialeKaart.js';
import { offerPerson } from '../actions.js';
import type { Turn } from '../turn.js';

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
  if (!signal.matched && openPrompt(turn.dc) !== undefined) {
    turn.deps.logger?.warn({ kind: signal.kind }, 'safety net signal while answering a question: not interrupted');
    return false;
  }
  const choices = openChoices(turn.dc) ?? [];
  return !choices.some((c) => normalizeAnswer(c.value) === normalizeAnswer(turn.text));
}

async function sendSafety(turn: Turn, signal: SafetySignal): Promise<void> {
  const { content, kb, now } = turn.deps;
  const context = turn.context;
  setReplyTopic(context, 'veiligheid', 1);
  if (signal.kind === 'dakloos') {
    const services = findServices(kb, content.general.searches.shelter, { gemeente: turn.data.gemeente, limit: 2 });
    const blocks = services.map((s) => presentContact(content.general, serviceContact(kb, s, now())));
    await context.sendActivity(`${content.safety.dakloos}\n\n${blocks.length ? blocks.join('\n\n') : content.safety.dakloosNoService}`);
  } else if (!signal.matched) {
    // Only the classifier's safety net fired: no phrase says which danger, so give every number.
    await context.sendActivity(content.safety.general);
  } else {
    await context.sendActivity(content.safety[signal.kind]);
  }
  await offerPerson(turn, turn.flow?.title);
}
