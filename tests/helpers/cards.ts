import type { Activity } from 'botbuilder';

/**
 * What an activity's Adaptive Cards show a resident: their text blocks, and each fact as
 * "Telefoon: 035 …" (contacts are only in the card, not in the activity's text).
 */
export function cardText(activity: Partial<Activity>): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const element = node as { type?: string; text?: string; facts?: Array<{ title: string; value: string }> };
    if (element.type === 'TextBlock' && element.text) parts.push(element.text);
    for (const fact of element.facts ?? []) parts.push(`${fact.title}: ${fact.value}`);
    Object.values(node).forEach(walk);
  };
  for (const attachment of activity.attachments ?? []) walk(attachment.content);
  return parts.join('\n');
}
