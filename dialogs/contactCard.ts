/**
 * Contacts as one Adaptive Card instead of blocks of text: every organisation of a turn in one
 * card (name, phone, e-mail, address, opening hours), which official Web Chat and Teams both
 * render. The card is the only place the contacts are shown: the activity's `text` is just the
 * intro (and the note after it), otherwise Web Chat shows every contact twice. The plain-text
 * version (one line per contact: name and phone, "Telefoon: …") is the card's own `fallbackText`
 * and `speak`, for clients that cannot render cards and for screen readers.
 */
import type { Activity, Attachment } from 'botbuilder';
import { formatHours, type ContactCard } from './socialeKaart.js';
import type { GeneralContent } from './content.js';

type Labels = Pick<GeneralContent, 'contactLabels' | 'weekdays' | 'hoursWords'>;

/** Teams renders Adaptive Cards up to 1.5 and Web Chat up to 1.6: 1.3 is safe for both. */
const CARD_VERSION = '1.3';
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** One message with the contacts as one card; `intro` goes above it, `after` below it (e.g. the example notice). */
export function contactMessage(labels: Labels, contacts: ContactCard[], intro?: string, after?: string): Partial<Activity> {
  const text = [intro, after].filter(Boolean).join('\n\n');
  return { type: 'message', text, attachments: [contactCardAttachment(labels, contacts)] };
}

/** The contacts as plain text, one line each with how to reach them ("Naam — Telefoon: …"). */
export function contactLines(labels: Labels, contacts: ContactCard[]): string {
  const label = labels.contactLabels;
  const reach = (c: ContactCard) => (c.phone ? `${label.phone}: ${c.phone}` : c.email ? `${label.email}: ${c.email}` : c.website ? `${label.website}: ${c.website}` : undefined);
  return contacts.map((c) => `${[c.name, reach(c)].filter(Boolean).join(' — ')}${c.closed ? ` (${labels.hoursWords.temporarilyClosed})` : ''}`).join('\n');
}

export function contactCardAttachment(labels: Labels, contacts: ContactCard[]): Attachment {
  const label = labels.contactLabels;
  const body = contacts.map((c, i) => {
    const hours = formatHours(c.hours, labels.weekdays, labels.hoursWords);
    const facts = [
      c.phone && { title: label.phone, value: c.phone },
      c.email && { title: label.email, value: c.email },
      c.address && { title: label.address, value: c.address },
      hours && { title: label.hours, value: hours },
      !c.phone && !c.email && c.website ? { title: label.website, value: c.website } : undefined,
    ].filter(Boolean);
    return {
      type: 'Container',
      ...(i > 0 ? { separator: true, spacing: 'Medium' } : {}),
      items: [
        { type: 'TextBlock', text: c.name, weight: 'Bolder', wrap: true },
        ...(c.closed ? [{ type: 'TextBlock', text: labels.hoursWords.temporarilyClosed, color: 'Attention', wrap: true }] : []),
        { type: 'FactSet', facts },
      ],
    };
  });
  const plain = contactLines(labels, contacts);
  return {
    contentType: ADAPTIVE_CARD,
    content: { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: CARD_VERSION, fallbackText: plain, speak: plain, body },
  };
}
