/**
 * The loket is the front door: a need that belongs to another law (Wlz → CIZ, Jeugdwet → the
 * municipality's jeugdteam, Zvw → wijkverpleging, Participatiewet → werk en inkomen) gets that
 * law's article and where to go, not a Wmo answer. The rules are content (signals.json › referrals).
 * The same kind of rule sends a question whose words name its article there directly
 * (signals.json › directQuestions): "wat houdt die wmo nou in", "hoe lang mag de gemeente over
 * het besluit doen", whatever the classifier guesses (it would start the melding).
 */
import type { TopicId } from '../../../knowledge/topics.js';
import { containsPhrase } from '../../signals.js';
import { activeService, findServices, serviceContact } from '../../socialeKaart.js';
import { contactMessage } from '../../contactCard.js';
import { sendAnswer } from '../actions.js';
import type { Turn } from '../turn.js';

export async function referral(turn: Turn): Promise<boolean> {
  if (turn.flow) return false;
  const { signals } = turn.deps.content;
  const rule = ruleFor(turn.text, signals.referrals.rules) ?? ruleFor(turn.text, signals.directQuestions.rules);
  const article = rule ? turn.deps.kb.articles.find((a) => a.id === rule.article) : undefined;
  if (!rule || !article) return false;
  const { deps, data, context } = turn;
  // A place nearby goes in the same card as the answer's own places: one card, the buttons after it.
  const m = data.gemeente ? deps.kb.municipality(data.gemeente) : undefined;
  // Jeugdhulp is asked at the municipality's own team: its contact, when we know it.
  const team = article.id === 'jeugdwet-gemeente' ? activeService(deps.kb, m?.settings.wijkteamServiceId) : undefined;
  // A rule's own local search ("geldzorgen schulden"): that service in the resident's municipality.
  const local = rule.local && data.gemeente ? findServices(deps.kb, rule.local, { gemeente: data.gemeente, limit: 1 }) : [];
  await sendAnswer(turn, article.topics[0] as TopicId, { articleId: article.id });
  const places = [...(team ? [team] : []), ...local];
  if (places.length) {
    const example = deps.kb.socialeKaart.example ? deps.content.answers.example : undefined;
    await context.sendActivity(contactMessage(deps.content.general, places.map((s) => serviceContact(deps.kb, s, deps.now())), deps.content.answers.localIntro, example));
  }
  return true;
}

interface ArticleRule {
  article: string;
  all: string[][];
  none?: string[];
  youngerThan?: number;
  local?: string;
}

/** The first rule whose every group has a phrase in the text, with none of its `none` phrases (and whose age limit fits). */
export function ruleFor<R extends ArticleRule>(text: string, rules: R[]): R | undefined {
  const age = statedAge(text);
  return rules.find(
    (r) => r.all.every((group) => containsPhrase(text, group)) && !(r.none && containsPhrase(text, r.none)) && (r.youngerThan === undefined || age === undefined || age < r.youngerThan),
  );
}


/** "zoon van 9", "14 jaar", "is 14", "(79)": the age a message gives, if any. */
function statedAge(text: string): number | undefined {
  const m = /\bvan (\d{1,3})\b(?! ?(?:uur|euro|%))|\b(\d{1,3}) ?(?:jaar|jr)\b|\bis (\d{1,3})\b|\((\d{1,3})\)/i.exec(text);
  const value = m ? Number(m[1] ?? m[2] ?? m[3] ?? m[4]) : undefined;
  return value !== undefined && value < 120 ? value : undefined;
}
