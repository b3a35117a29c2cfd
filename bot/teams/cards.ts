/**
 * Adaptive Cards for consultants in Teams: the escalation card (1.5, Action.Execute with an
 * Action.Submit fallback for clients without Universal Actions) and the lookup results.
 * A resident's words are shown as text: Adaptive Card markdown in them is escaped, so a link or
 * an image a resident typed never renders as one.
 */
import type { Attachment } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { Escalation, Person } from './desk.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Verbs of the card's actions; the Submit fallback carries the same verb as `wmoAction`. */
export const VERBS = ['overnemen', 'transcript', 'toewijzen'] as const;
export type Verb = (typeof VERBS)[number];
export const ASSIGNEE_INPUT = 'toewijzenAan';

export type Card = Record<string, unknown>;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu;
const MARKDOWN = /[\\`*_{}[\]()#+\-.!|<>~]/gu;

/** Someone else's text as plain text in a TextBlock: control characters out, markdown escaped. */
export function plainText(text: string): string {
  return text.replace(CONTROL, '').replace(MARKDOWN, (c) => `\\${c}`);
}

export function topicLabel(topic: string): string {
  const label = topic.replace(/-/gu, ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/**
 * How long the resident has waited, and since when: the card is only redrawn when something
 * changes, so the clock time keeps it right for whoever looks later.
 */
export function waitingText(since: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000));
  const clock = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(new Date(since));
  const waited = minutes < 1 ? 'net binnen' : minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} uur ${minutes % 60} min`;
  return `${waited} (sinds ${clock})`;
}

function stateText(escalation: Escalation): string {
  switch (escalation.state) {
    case 'waiting':
      return 'Wacht op een medewerker';
    case 'claimed':
      return `Overgenomen door ${escalation.claimedBy?.name ?? 'een medewerker'}`;
    case 'released':
      return 'Terug bij de assistent';
    case 'closed':
      return `Gesloten${escalation.outcome ? `: ${escalation.outcome}` : ''}`;
  }
}

/** Action.Execute for Teams, with the same action as Action.Submit for clients that lack it. */
function execute(verb: Verb, title: string, escalationId: string, style?: 'positive'): Card {
  const data = { escalationId };
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...(style ? { style } : {}),
    fallback: { type: 'Action.Submit', title, data: { ...data, wmoAction: verb } },
  };
}

export interface EscalationCardOptions {
  gemeenteName?: string;
  now: Date;
  /** Shown on top to the one who clicked, e.g. that someone else was first. */
  notice?: string;
}

export function escalationCard(escalation: Escalation, options: EscalationCardOptions): Card {
  const open = escalation.state === 'waiting' || escalation.state === 'claimed';
  const body: Card[] = [];
  if (options.notice) body.push({ type: 'TextBlock', text: options.notice, wrap: true, weight: 'Bolder', color: 'Attention' });
  body.push(
    { type: 'TextBlock', text: `Escalatie: ${topicLabel(escalation.topic)}`, size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' },
    { type: 'TextBlock', text: stateText(escalation), wrap: true, weight: 'Bolder', color: escalation.state === 'waiting' ? 'Warning' : 'Good' },
  );
  if (escalation.safety) {
    body.push({ type: 'TextBlock', text: 'Let op: veiligheidssignaal in dit gesprek. Dit gaat voor.', wrap: true, weight: 'Bolder', color: 'Attention' });
  }
  body.push({
    type: 'FactSet',
    facts: [
      { title: 'Gemeente', value: options.gemeenteName ?? 'onbekend' },
      { title: 'Wacht', value: waitingText(escalation.createdAt, options.now) },
      { title: 'Veiligheid', value: escalation.safety ? 'signaal' : 'geen signaal' },
    ],
  });
  if (escalation.summary.length > 0) {
    body.push({ type: 'TextBlock', text: 'Samenvatting', weight: 'Bolder', wrap: true, spacing: 'Medium' });
    for (const line of escalation.summary) body.push({ type: 'TextBlock', text: plainText(line), wrap: true, spacing: 'Small' });
  }
  const actions: Card[] = [execute('transcript', 'Transcript', escalation.id)];
  if (open) {
    if (escalation.state === 'waiting') actions.unshift(execute('overnemen', 'Overnemen', escalation.id, 'positive'));
    actions.push({
      type: 'Action.ShowCard',
      title: 'Toewijzen',
      card: {
        type: 'AdaptiveCard',
        body: [
          {
            type: 'Input.ChoiceSet',
            id: ASSIGNEE_INPUT,
            label: 'Aan wie?',
            isRequired: true,
            errorMessage: 'Kies een collega.',
            // Teams' people picker, limited to the members of this team.
            choices: [],
            'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users?scope=currentContext' },
          },
        ],
        actions: [execute('toewijzen', 'Toewijzen', escalation.id)],
      },
    });
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions,
    msteams: { width: 'Full' },
  };
}

export function cardAttachment(card: Card): Attachment {
  return CardFactory.adaptiveCard(card);
}

/** The escalation's card with a note that someone else has it (for the one who was too late). */
export function takenNotice(takenBy: Person): string {
  return `U was te laat: ${takenBy.name} heeft dit gesprek al overgenomen.`;
}

export interface LookupHit {
  kind: 'provision' | 'article' | 'service';
  title: string;
  snippet: string;
  sources: Array<{ title: string; url: string }>;
  /** Services: open now (true/false), or undefined when the hours are not known. */
  openNow?: boolean;
  hours?: string;
  phone?: string;
}

const KIND_LABEL: Record<LookupHit['kind'], string> = { provision: 'Voorziening', article: 'Uitleg', service: 'Sociale kaart' };

/** One card with the best hits, each with its sources and, for services, whether it is open now. */
export function lookupCard(question: string, gemeenteName: string | undefined, hits: LookupHit[]): Card {
  const body: Card[] = [
    { type: 'TextBlock', text: `Zoekresultaten voor "${plainText(question)}"${gemeenteName ? ` in ${gemeenteName}` : ''}`, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading' },
  ];
  if (hits.length === 0) body.push({ type: 'TextBlock', text: 'Niets gevonden. Probeer andere woorden.', wrap: true });
  for (const hit of hits) {
    const items: Card[] = [
      { type: 'TextBlock', text: `${KIND_LABEL[hit.kind]}: ${plainText(hit.title)}`, weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: plainText(hit.snippet), wrap: true, spacing: 'Small' },
    ];
    if (hit.kind === 'service') {
      const open = hit.openNow === undefined ? 'Openingstijden onbekend' : hit.openNow ? 'Nu open' : 'Nu gesloten';
      items.push({ type: 'TextBlock', text: [open, hit.hours, hit.phone && `tel. ${hit.phone}`].filter(Boolean).map((t) => plainText(String(t))).join(' · '), wrap: true, spacing: 'Small', color: hit.openNow ? 'Good' : 'Default' });
    }
    if (hit.sources.length > 0) {
      items.push({ type: 'TextBlock', text: `Bron: ${hit.sources.map((s) => `[${plainText(s.title)}](${s.url})`).join(', ')}`, wrap: true, spacing: 'Small', isSubtle: true });
    }
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body };
}
