/**
 * The knowledge upkeep list: what a knowledge manager should look at again. Entries whose "last
 * checked" date is older than a set period, sociale-kaart services that are not active, and
 * references to services that are missing or not active. Each row names the file and id to edit.
 */
import type { KnowledgeBase } from '../load.js';

export type UpkeepReason = 'verouderd' | 'inactief' | 'verwijzing';

export interface UpkeepItem {
  reason: UpkeepReason;
  /** The file under the knowledge folder and the entry's id in it. */
  file: string;
  id: string;
  name: string;
  /** What is wrong, in Dutch, for the list. */
  detail: string;
}

export interface UpkeepOptions {
  /** Entries last checked more than this many days ago are listed (setting KB_CHECK_DAYS). */
  maxAgeDays: number;
  today: Date;
}

export function upkeepList(kb: Pick<KnowledgeBase, 'articles' | 'provisions' | 'municipalities' | 'socialeKaart'>, options: UpkeepOptions): UpkeepItem[] {
  const limit = new Date(options.today.getTime() - options.maxAgeDays * 86_400_000).toISOString().slice(0, 10);
  const items: UpkeepItem[] = [];
  const stale = (file: string, id: string, name: string, checked: string | undefined) => {
    if (checked && checked < limit) items.push({ reason: 'verouderd', file, id, name, detail: `Laatst gecontroleerd op ${checked}, langer dan ${options.maxAgeDays} dagen geleden.` });
  };
  for (const a of kb.articles) stale('articles.json', a.id, a.title, a.lastChecked);
  for (const p of kb.provisions) stale('provisions.json', p.id, p.name, p.lastChecked);
  for (const m of kb.municipalities) stale('municipalities.json', m.code, m.name, m.settings.lastChecked);
  for (const s of kb.socialeKaart.services) stale('sociale-kaart.json', s.id, s.name, s.last_modified);

  const services = new Map(kb.socialeKaart.services.map((s) => [s.id, s]));
  for (const s of kb.socialeKaart.services) {
    if (s.status !== 'active') items.push({ reason: 'inactief', file: 'sociale-kaart.json', id: s.id, name: s.name, detail: `De dienst staat op "${s.status}".` });
  }
  const reference = (file: string, id: string, name: string, serviceId: string | undefined, where: string) => {
    if (!serviceId) return;
    const service = services.get(serviceId);
    if (!service) items.push({ reason: 'verwijzing', file, id, name, detail: `${where} verwijst naar dienst "${serviceId}", die niet in de sociale kaart staat.` });
    else if (service.status !== 'active') items.push({ reason: 'verwijzing', file, id, name, detail: `${where} verwijst naar dienst "${serviceId}", die op "${service.status}" staat.` });
  };
  for (const p of kb.provisions) {
    for (const a of p.availability) for (const serviceId of a.serviceIds ?? []) reference('provisions.json', p.id, p.name, serviceId, `Beschikbaarheid in ${a.gemeente}`);
  }
  for (const m of kb.municipalities) {
    reference('municipalities.json', m.code, m.name, m.settings.wijkteamServiceId, 'Het wijkteam');
    reference('municipalities.json', m.code, m.name, m.settings.vrijwilligerscentraleServiceId, 'De vrijwilligerscentrale');
    reference('municipalities.json', m.code, m.name, m.settings.clientondersteuningServiceId, 'De cliëntondersteuning');
  }
  const order: Record<UpkeepReason, number> = { verwijzing: 0, inactief: 1, verouderd: 2 };
  return items.sort((a, b) => order[a.reason] - order[b.reason] || a.file.localeCompare(b.file) || a.id.localeCompare(b.id));
}
