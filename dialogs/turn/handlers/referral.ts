/**
 * The loket is the front door: a need that belongs to another law (Wlz → CIZ, Jeugdwet → the
 * municipality's jeugdteam, Zvw → wijkverpleging, Participatiewet → werk en inkomen) gets that
 * law's article and where to go, not a Wmo answer. The rules are content (signals.json › referrals).
 */
import type { TopicId } from '../../../knowledge/topics.js';
import { containsPhrase } from '../../signals.js';
import { activeService, serviceContact } from '../../socialeKaart.js';
import { contactMessage } from '../../contactCard.js';
import { sendAnswer } from '../actions.js';
import type { Turn } from '../turn.js';

export async function referral(turn: Turn): Promise<boolean> {
  if (turn.flow) return false;
  const articleId = referralFor(turn.text, turn.deps.content.signals.referrals.rules);
  const article = articleId ? turn.deps.kb.articles.find((a) => a.id === articleId) : undefined;
  if (!article) return false;
  const { deps, data, context } = turn;
  await sendAnswer(turn, article.topics[0] as TopicId, { articleId: article.id });
  // Jeugdhulp is asked at the municipality's own team: its contact, when we know it.
  const m = data.gemeente ? deps.kb.municipality(data.gemeente) : undefined;
  const team = article.id === 'jeugdwet-gemeente' ? activeService(deps.kb, m?.settings.wijkteamServiceId) : undefined;
  if (team) {
    const example = deps.kb.socialeKaart.example ? deps.content.answers.example : undefined;
    await context.sendActivity(contactMessage(deps.content.general, [serviceContact(deps.kb, team, deps.now())], deps.content.answers.localIntro, example));
  }
  return true;
}

interface ReferralRule {
  article: string;
  all: string[][];
  youngerThan?: number;
}

/** The article of the first rule whose every group has a phrase in the text (and whose age limit fits). */
export function referralFor(text: string, rules: ReferralRule[]): string | undefined {
  const age = statedAge(text);
  const rule = rules.find((r) => r.all.every((group) => containsPhrase(text, group)) && (r.youngerThan === undefined || age === undefined || age < r.youngerThan));
  return rule?.article;
}

/** "zoon van 9", "14 jaar", "is 14", "(79)": the age a message gives, if any. */
function statedAge(text: string): number | undefined {
  const m = /\bvan (\d{1,3})\b(?! ?(?:uur|euro|%))|\b(\d{1,3}) ?(?:jaar|jr)\b|\bis (\d{1,3})\b|\((\d{1,3})\)/i.exec(text);
  const value = m ? Number(m[1] ?? m[2] ?? m[3] ?? m[4]) : undefined;
  return value !== undefined && value < 120 ? value : undefined;
}
