/** The topic ids the bot understands. Every reply carries one of them in its wmoTopic entity. */
export const TOPICS = [
  'huishoudelijke-hulp',
  'mantelzorg',
  'vrijwilligerswerk',
  'wmo-melding',
  'kosten',
  'pgb',
  'clientondersteuning',
  'hulpmiddelen',
  'woningaanpassing',
  'vervoer',
  'begeleiding',
  'bezwaar-klacht',
  'sociale-kaart',
  'medewerker',
  'veiligheid',
  'groet',
  'buiten-bereik',
] as const;

export type TopicId = (typeof TOPICS)[number];

export function isTopicId(value: unknown): value is TopicId {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value);
}
