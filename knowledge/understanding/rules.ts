/**
 * The few rules that are safer than the classifier: a greeting or thanks on its own, a request for
 * a person, a complaint or objection. They run on the same normal form as the safety rules.
 */
import { normalizeForSafety } from './safety.js';

/** Greetings, thanks and goodbyes: one of these must be in a message the greeting rule takes. */
const GREETING_WORDS = new Set(
  ('hallo hallootjes hallooo halloo helo hoi hoii hey hee hai hi hello hiya goedemorgen goeiemorgen goedemoorgen ' +
    'goedemiddag goeiemiddag goedenmiddag goedenavond goeienavond goeiedag goedendag dag ' +
    'bedankt bedank dank dankje dankjewel dankuwel thanks thank thnx thx tnx merci ' +
    'doei dooei ziens bye goodbye cheers groet groeten mvg').split(' '),
);

/** Words that may stand next to a greeting without making it a question ("dank je wel voor de hulp"). */
const GREETING_FILLER = new Set(
  ('daar allemaal good morning afternoon evening je jij u wel well you very much so a lot voor for de het the ' +
    'hulp help informatie info uitleg antwoord antwoorden geduld moeite tijd snelle reactie your nog nogmaals ' +
    'alvast heel erg hartelijk vriendelijk top super fijn prima oke ok okay helder duidelijk mooi zo goed ' +
    'alles was dat tot later fijne avond weekend middag see ik ga het regelen snap begrijp nu weer ben er ' +
    'hoor even gr see again en weet genoeg verder niets niks meer is iemand aanwezig wens jullie prettig').split(' '),
);

/** True when the whole message is a greeting, thanks or goodbye. */
export function isOnlyGreeting(text: string): boolean {
  const words = normalizeForSafety(text)
    .split(' ')
    .filter((w) => w !== '|' && w !== '');
  return (
    words.some((w) => GREETING_WORDS.has(w)) && words.every((w) => GREETING_WORDS.has(w) || GREETING_FILLER.has(w))
  );
}

/** Words that only open a message: "hallo, …", "goedemorgen, …", "dank je, …". */
const OPENING_WORDS = new Set(
  'hallo hoi hey hee hai hi hello goedemorgen goeiemorgen goedemiddag goedenavond goeiedag goedendag daar bedankt dankjewel dankuwel dank je u wel thanks thank you good morning afternoon evening'.split(
    ' ',
  ),
);

/** The message without its opening greeting ("Hallo, ik wil een rolstoel" → "ik wil een rolstoel"). */
export function withoutOpening(text: string): string {
  const words = text.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && OPENING_WORDS.has(normalizeForSafety(words[i]).replace(/[ |]/g, ''))) i++;
  return i > 0 && i < words.length ? words.slice(i).join(' ') : text;
}

const PERSON_REQUEST = new RegExp(
  '(?<![a-z])(?:' +
    [
      '(mens|mensen|medewerker|medewerkster|persoon|consulent|mensje|echt iemand|echte persoon)( [a-z]+){0,4} (spreken|spreke|sprekn|bellen|aan de lijn|aan de telefoon|praten|chatten)',
      'iemand( van( [a-z]+){1,3})? (spreken|spreke|aan de lijn|aan de telefoon)|(wil|kan|mag) ([a-z]+ ){0,2}iemand( [a-z]+){0,3} (spreken|bellen)',
      '(met|naar) (een )?(echte? )?(mens|medewerker|medewerkster|persoon)( van( [a-z]+){1,3})?$',
      'wil (een |echt |een echt |een echte |graag een )?(mens|persoon|medewerker|medewerkster)',
      'geef (me|mij) (een )?(mens|medewerker|persoon)',
      'iemand (van|bij) (de |het )?(gemeente|loket|wmo loket|wijkteam)( [a-z]+){0,2} (spreken|praten|bellen|aan de lijn)',
      '(echt|echte) (mens|persoon) (aub|alsjeblieft|graag|please|spreken)',
      'doorverbinden|doorverbind|verbind (me|mij) door|terugbellen|teruggebeld|terug bellen|bel (me|mij) terug|terugbelverzoek',
      'geen (robot|computer|bot|chatbot)|niet met een (robot|computer|bot|chatbot)',
      '(talk|speak|chat) (to|with) (a |an |a real )?(human|person|employee|agent|someone|somebody)',
      'real person|human being|call me back|connect me',
      '^(mens|medewerker|human|agent|operator)( aub| alsjeblieft| please)?$',
    ].join('|') +
    ')(?![a-z])',
);

/** "Ben jij een mens?" asks who the bot is (groet), not for a person. */
const ABOUT_THE_BOT = /(?<![a-z])(ben|bent|is) (je|jij|u|dit|het) |praat ik (met|tegen)|(are|r) (you|u) (a|an) /;

/** True when the citizen asks for a person (medewerker), in Dutch or English. */
export function asksForPerson(text: string): boolean {
  const normal = normalizeForSafety(text).replace(/ \| /g, ' ').replace(/ ?\|$/, '');
  return !ABOUT_THE_BOT.test(normal) && PERSON_REQUEST.test(normal);
}

const COMPLAINT_OR_OBJECTION = new RegExp(
  '(?<![a-z])(?:' +
    [
      'bezwaar[a-z]*|klacht[a-z]*|klagen|klaag|afgewezen|afwijzing|geweigerd|(niet|nie) eens met|oneens|mee oneens',
      'in beroep|beroep (aantekenen|instellen|indienen)|ombudsman|ontevreden|onterecht',
      'complain[a-z]*|appeal|object to|objection|rejected|refused|disagree',
    ].join('|') +
    ')(?![a-z])',
);

/**
 * An objection or complaint is about the decision or the service, whatever it concerns
 * ("mijn scootmobiel is afgewezen" is bezwaar-klacht, not hulpmiddelen).
 */
export function complainsOrObjects(text: string): boolean {
  return COMPLAINT_OR_OBJECTION.test(normalizeForSafety(text));
}
