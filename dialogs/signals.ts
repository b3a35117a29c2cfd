/**
 * What the router dialog recognises in a message besides its topic: loneliness, grief, thanks,
 * a question about the loket or one's own file, a complaint. The phrases are content
 * (knowledge/content/signals.json); this file only says how they are matched.
 */
import { normalizeAnswer } from './choices.js';
import type { SignalsContent } from './content.js';

/** True when one of the phrases stands in the text as whole words. */
export function containsPhrase(text: string, phrases: string[]): boolean {
  const padded = ` ${normalizeAnswer(text)} `;
  return phrases.some((phrase) => padded.includes(` ${normalizeAnswer(phrase)} `));
}

export class Signals {
  constructor(private readonly content: SignalsContent) {}

  lonely(text: string): boolean {
    return containsPhrase(text, this.content.lonely);
  }

  grief(text: string): boolean {
    return containsPhrase(text, this.content.grief);
  }

  thanks(text: string): boolean {
    return containsPhrase(text, this.content.thanks);
  }

  goodbye(text: string): boolean {
    return containsPhrase(text, this.content.goodbye);
  }

  /** The whole message is "ja", "ok", "hmm": nothing to answer. */
  acknowledgement(text: string): boolean {
    const answer = normalizeAnswer(text);
    return this.content.acknowledgements.some((a) => normalizeAnswer(a) === answer);
  }

  /** "Wanneer is het loket open?": the loket's own hours, number or address. */
  aboutLoket(text: string): boolean {
    return containsPhrase(text, this.content.loket.place) && containsPhrase(text, this.content.loket.ask);
  }

  /** Would rather phone or visit than chat ("kan ik ook gewoon bellen?"). */
  asksToCall(text: string): boolean {
    return containsPhrase(text, this.content.loket.call);
  }

  /** "Hoe staat het met mijn aanvraag?", "bel me terug": things only the loket can do. */
  aboutOwnCase(text: string): boolean {
    const { about, ask, always } = this.content.ownCase;
    return containsPhrase(text, always) || (containsPhrase(text, about) && containsPhrase(text, ask));
  }

  /** Asks what something costs ("kost dat iets?", "is dat gratis?"), not how long it takes. */
  asksCost(text: string): boolean {
    return containsPhrase(text, this.content.cost.words) && !containsPhrase(text, this.content.cost.notAbout);
  }

  /** Asks where something is ("waar zit …", "is er bij ons een …", "welke … bij mij in de buurt"). */
  asksForPlace(text: string): boolean {
    // "waar …", also going on from the last answer: "en waar kan dat?".
    const [first, second] = normalizeAnswer(text).split(' ');
    return first === 'waar' || (this.content.followUp.goesOn.includes(first) && second === 'waar') || containsPhrase(text, this.content.asksForPlace);
  }

  /** A complaint about help or treatment, not about a decision (that is a bezwaar). */
  complaint(text: string): boolean {
    return containsPhrase(text, this.content.complaint.words) && !containsPhrase(text, this.content.complaint.notAbout);
  }

  /** A question asks for information: it starts with a question word or ends with a question mark. */
  informationQuestion(text: string): boolean {
    const words = normalizeAnswer(text).split(' ');
    // Question words of two words count too: "tot wanneer kan ik …".
    const opening = [words[0], words.slice(0, 2).join(' ')];
    return /\?\s*$/.test(text) || this.content.questionWords.some((word) => opening.includes(normalizeAnswer(word)));
  }

  /**
   * The part of a message that asks: "mijn moeder is 88 en … wat gaat dat kosten?" asks "wat gaat
   * dat kosten?", and "ik heb de aanvraag gedaan, wanneer komt de beschikking" asks about the
   * beschikking. The last clause that is a question, else the whole text.
   */
  questionFocus(text: string): string {
    const clauses = (text.match(/[^.!?;,]+[.!?;,]?/g) ?? []).map((c) => c.trim()).filter(Boolean);
    const asking = [...clauses].reverse().find((c) => this.informationQuestion(c));
    return asking && asking !== text.trim() && asking.split(/\s+/).length >= 2 ? asking : text;
  }
}

/**
 * The age a resident gives ("ik ben 15", "16 jaar oud") when it is 24 or younger: a young carer.
 * A number pattern, not a phrase list; "ik zorg al 10 jaar voor mijn man" is a duration, not an age.
 */
export function youngCarerAge(text: string): number | undefined {
  const match = /\bik ben (\d{1,2})\b|\b(\d{1,2}) jaar oud\b/i.exec(text);
  const age = match ? Number(match[1] ?? match[2]) : undefined;
  return age !== undefined && age >= 6 && age <= 24 ? age : undefined;
}
