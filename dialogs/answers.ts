/**
 * Answers for topics without a guided flow (kosten, pgb, bezwaar, vervoer, …): the best
 * article or provision from the knowledge base, with its sources as citations, and a local
 * organisation from the sociale kaart when the municipality is known. Topics whose answer
 * depends on the municipality ask for it first (content: answers.needsGemeente).
 */
import { CardAction, MessageFactory, type Activity } from 'botbuilder';
import { WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/topics.js';
import { FlowDialog, type FlowDeps } from './flows/flowBase.js';
import { gemeenteSteps } from './flows/gemeenteDialog.js';
import { citedMessage, citationsFromSources } from './replies.js';
import { askFeedback } from './turn/offers.js';
import { activeService, findServices, loketContact, serviceContact } from './socialeKaart.js';
import { contactMessage } from './contactCard.js';
import type { HsdsService, Provision } from '../knowledge/types.js';
import type { SearchHit } from './ports.js';
import { containsPhrase, Signals } from './signals.js';
import { localAddition, localNeedIn, localServicesOf } from './local.js';

export const ANSWER_DIALOG = 'antwoord';
const WATERFALL = 'antwoord-stappen';

export interface AnswerOptions {
  topic: TopicId;
  /** The question as typed, already redacted. */
  text: string;
}

/** The subject of the last answer: an article, or a provision answered without one (personenalarmering). */
export interface AnswerSubject {
  lastArticle?: string;
  lastLocalNeed?: string;
}

/** A provision answered without an article is the subject now: "wat kost dat?" next is about it. */
export function rememberProvision(subject: AnswerSubject, provisionId: string): void {
  subject.lastArticle = undefined;
  subject.lastLocalNeed = provisionId;
}

export interface AnswerChoices {
  /** Show a local organisation found by the words (default yes). */
  localService?: boolean;
  /** Answer with this article instead of searching (a resolved follow-up). */
  articleId?: string;
  /** Where the answer's subject is kept, so the next short follow-up ("wat kost dat?") is resolved against it. */
  remember?: AnswerSubject;
  /** Only the article's sentences with one of these phrases ("gratis" for "kost dat iets?"), when it has any. */
  only?: string[];
}

/** The sentences of a text that contain one of the phrases, or undefined when none does. */
function sentencesWith(text: string, phrases: string[] | undefined): string | undefined {
  if (!phrases?.length) return undefined;
  const sentences = (text.match(/[^.!?\n]+[.!?]?/g) ?? []).map((s) => s.trim());
  // A sentence that answers the question before it ("Gebruikt de gemeente een adviescommissie? Dan is dat binnen 12 weken.") keeps that question.
  const kept = (s: string, i: number) => containsPhrase(s, phrases) || (s.endsWith('?') && /^Dan\b/.test(sentences[i + 1] ?? '') && containsPhrase(sentences[i + 1], phrases));
  const hits = sentences.filter(kept);
  return hits.length ? hits.join(' ') : undefined;
}

/** The messages that answer a question on a topic, best source first. */
export function composeAnswer(
  deps: Pick<FlowDeps, 'kb' | 'content' | 'now'>,
  topic: TopicId,
  text: string,
  gemeente?: string,
  options: AnswerChoices = {},
): Array<Partial<Activity>> {
  const { kb, content, now } = deps;
  if (topic === 'bezwaar-klacht' && new Signals(content.signals).complaint(text)) {
    // A complaint about help or treatment is not a bezwaar (that is for a decision of the municipality).
    const m = gemeente ? kb.municipality(gemeente) : undefined;
    return [m ? contactMessage(content.general, [loketContact(m, now())], content.answers.complaint) : { type: 'message', text: content.answers.complaint }];
  }
  const notHere = gemeente ? notOfferedHere(kb, text, gemeente) : undefined;
  if (notHere) {
    // "Krijg ik mijn verhuiskosten vergoed?" where the municipality does not give it: that is the answer.
    const { provision, variation } = notHere;
    const followUps = kb.articles.find((a) => a.topics[0] === topic)?.followUps ?? [];
    const message = citedMessage(`**${provision.name}**: ${provision.description}\n\n${variation}`, citationsFromSources(provision.sources, provision.name));
    return [followUps.length ? { ...message, suggestedActions: { actions: followUps.slice(0, 4).map((f): CardAction => ({ type: 'imBack', title: f, value: f })), to: [] } } : message];
  }
  const kinds: SearchHit['kind'][] = ['article', 'provision'];
  // An article about costs answers a question about costs, not a need that names the thing ("mijn vrouw zit in
  // een rolstoel en ons huis heeft drempels": the woningaanpassing, not what a rolstoel costs).
  const aboutCosts = topic === 'kosten' || new Signals(content.signals).asksCost(text);
  const onTopic = (hits: SearchHit[]) => (aboutCosts ? hits : hits.filter((h) => h.topics[0] !== 'kosten'));
  // The words first; when they find nothing on this topic (English, or "ik ben het niet eens met de
  // beschikking"), the topic itself: the router is sure of it, so its main article is the answer.
  const byWords = onTopic(kb.search(text, { gemeente, topic, kinds, limit: 5 }));
  const fallbackHits: SearchHit[] = byWords.length
    ? byWords
    : onTopic(kb.search(content.general.topicLabels[topic] ?? topic, { gemeente, topic, kinds, limit: 5 }));
  const messages: Array<Partial<Activity>> = [];

  // A need a local provision meets ("welk vervoer is er bij mij in de buurt?"): its own services first.
  const need = gemeente && options.localService !== false ? localNeedIn(content, kb, text, [topic]) : undefined;
  const [found] = gemeente && options.localService !== false
    ? [...(need ? localServicesOf(kb, need, gemeente).filter((s) => s.status === 'active') : []), ...findServices(kb, text, { gemeente, topic, limit: 1, includeClosed: true })]
    : [];
  // Nothing found by the words: the municipality's own service for this topic, when it names one.
  const localService = found ?? (gemeente && options.localService !== false ? ownService(kb, gemeente, topic) : undefined);
  // "Waar is het wijkteam?" with a known municipality: the local organisation is the answer itself.
  const serviceIsTheAnswer = topic === 'sociale-kaart' && localService !== undefined;
  const articleHit = serviceIsTheAnswer ? undefined : fallbackHits.find((h) => h.kind === 'article');
  const provisionHit = serviceIsTheAnswer ? undefined : fallbackHits.find((h) => h.kind === 'provision');
  const articleId = options.articleId ?? articleHit?.id;
  const article = articleId ? kb.articles.find((a) => a.id === articleId) : undefined;
  const provision = !article && provisionHit ? kb.provisions.find((p) => p.id === provisionHit.id) : undefined;
  if (options.remember && article) options.remember.lastArticle = article.id;
  else if (options.remember && provision) rememberProvision(options.remember, provision.id);

  if (article) {
    const body = sentencesWith(article.body, options.only) ?? article.body.split(/\n\s*\n/).slice(0, 3).join('\n\n');
    const message = citedMessage(body, citationsFromSources(article.sources, article.title));
    if (article.followUps.length) {
      const withButtons = MessageFactory.suggestedActions(
        article.followUps.slice(0, 4).map((f): CardAction => ({ type: 'imBack', title: f, value: f })),
        message.text,
      );
      messages.push({ ...withButtons, entities: message.entities });
    } else messages.push(message);
    const local = localAddition(content, article.id, gemeente ? kb.municipality(gemeente) : undefined, now());
    if (local) messages.push({ type: 'message', text: local });
  } else if (provision) {
    const where = gemeente ? provision.availability.find((a) => a.gemeente === gemeente) : undefined;
    const paragraphs = [`**${provision.name}**: ${provision.description}`, provision.howToGet];
    if (where?.variation) paragraphs.push(where.variation);
    const message = citedMessage(paragraphs.join('\n\n'), citationsFromSources(provision.sources, provision.name));
    // A provision has no follow-ups of its own: those of the topic's main article, so the resident can go on.
    const followUps = kb.articles.find((a) => a.topics[0] === topic)?.followUps ?? [];
    messages.push(followUps.length ? { ...message, suggestedActions: { actions: followUps.slice(0, 4).map((f): CardAction => ({ type: 'imBack', title: f, value: f })), to: [] } } : message);
  }

  const m = gemeente ? kb.municipality(gemeente) : undefined;
  if (localService) {
    // "Voorbeeldgegevens" only under example data that is shown, never under national facts.
    const example = kb.socialeKaart.example ? content.answers.example : undefined;
    messages.push(contactMessage(content.general, [serviceContact(kb, localService, now())], content.answers.localIntro, example));
  }
  if (messages.length === 0) {
    const example = m?.example ? content.answers.example : undefined;
    messages.push(m ? contactMessage(content.general, [loketContact(m, now())], content.answers.noHit, example) : { type: 'message', text: content.answers.noHit });
  }
  return messages;
}

/**
 * A provision the question names by its own words (its keywords) that this municipality does not
 * offer, with what the municipality says instead (availability.variation).
 */
function notOfferedHere(kb: FlowDeps['kb'], text: string, gemeente: string): { provision: Provision; variation: string } | undefined {
  for (const provision of kb.provisions) {
    const where = provision.availability.find((a) => a.gemeente === gemeente);
    if (where && !where.available && where.variation && containsPhrase(text, provision.keywords ?? [])) return { provision, variation: where.variation };
  }
  return undefined;
}

/** The service a municipality names for a topic in its settings (cliëntondersteuning, vrijwilligerscentrale, wijkteam). */
function ownService(kb: FlowDeps['kb'], gemeente: string, topic: TopicId): HsdsService | undefined {
  const settings = kb.municipality(gemeente)?.settings;
  const id = topic === 'clientondersteuning' ? settings?.clientondersteuningServiceId
    : topic === 'vrijwilligerswerk' ? settings?.vrijwilligerscentraleServiceId
      : topic === 'sociale-kaart' ? settings?.wijkteamServiceId : undefined;
  return activeService(kb, id);
}

export class AnswerDialog extends FlowDialog {
  constructor(deps: FlowDeps) {
    super(ANSWER_DIALOG, 'sociale-kaart', 'uw vraag', deps);
    const [askGemeente, storeGemeente] = gemeenteSteps(deps);
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        async (step) => {
          const { topic } = step.options as AnswerOptions;
          if (!deps.content.answers.needsGemeente.includes(topic)) return step.next();
          return askGemeente(step);
        },
        storeGemeente,
        (step) => this.answer(step),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  /** An answer is about the topic of its question, not about 'sociale-kaart'. */
  override topicFor(outerDc: DialogContext): TopicId {
    return this.startOptions<AnswerOptions>(outerDc)?.topic ?? this.topic;
  }

  private async answer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { topic, text } = step.options as AnswerOptions;
    const gemeente = await this.gemeenteCode(step.context);
    const data = await this.deps.conversationData.get(step.context, {});
    const messages = composeAnswer(this.deps, topic, text, gemeente, { remember: data });
    // "Dit helpt mij (niet)" under an answer with sources; it keeps the follow-up buttons working.
    const feedback = askFeedback(messages, topic, this.deps.content);
    for (const message of messages) await step.context.sendActivity(message);
    // Follow-up buttons are answered within this topic on the next turn.
    const questions = messages.flatMap((m) => (m.suggestedActions?.actions ?? []).map((a) => String(a.value)));
    if (feedback) data.pending = feedback;
    else if (questions.length) data.pending = { kind: 'followUps', topic, questions };
    return step.endDialog({ next: 'klaar', topic });
  }
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
