/**
 * "Wat kost huishoudelijke hulp?", or a long story that ends in "wat gaat dat kosten?": the price
 * of help is the costs (the abonnementstarief with its year), not the help's own text or
 * "Bedoelt u…?". Which help it is about comes from the router (content signals.cost.topics).
 */
import type { TopicId } from '../../../knowledge/topics.js';
import { containsPhrase } from '../../signals.js';
import { sendAnswer } from '../actions.js';
import { turnTopics } from './localNeed.js';
import type { Turn } from '../turn.js';

export async function costQuestion(turn: Turn): Promise<boolean> {
  if (turn.flow || turn.u.safety) return false;
  const { kb, content } = turn.deps;
  const focus = turn.signals.questionFocus(turn.text);
  const { cost } = content.signals;
  if (!turn.signals.informationQuestion(focus) || !containsPhrase(focus, cost.words) || containsPhrase(focus, cost.notAbout)) return false;
  const about = turnTopics(turn).find((t) => cost.topics.includes(t));
  if (!about || (about === 'kosten' && turn.u.band === 'high')) return false; // a plain costs question goes the usual way
  // The costs article that fits the help asked about: searched with the help's own name.
  const [hit] = kb.search(`${focus} ${content.general.topicLabels[about] ?? ''}`, { topic: 'kosten' as TopicId, kinds: ['article'], limit: 1 });
  if (!hit) return false;
  await sendAnswer(turn, 'kosten', { articleId: hit.id });
  return true;
}
