/**
 * Every guided flow, one record each. A new flow is one file (a FlowDialog) and one record here;
 * the router starts it for its topic, and the main menu button with the same id opens it.
 */
import type { TopicId } from '../../knowledge/topics.js';
import type { Content } from '../content.js';
import type { FlowDeps, FlowDialog } from './flowBase.js';
import { HUISHOUDELIJKE_HULP_DIALOG, HuishoudelijkeHulpDialog } from './huishoudelijkeHulpDialog.js';
import { MANTELZORG_DIALOG, MantelzorgDialog } from './mantelzorgDialog.js';
import { MEDEWERKER_DIALOG, MedewerkerDialog } from './medewerkerDialog.js';
import { MELDING_DIALOG, MeldingDialog } from './meldingDialog.js';
import { VRIJWILLIGERSWERK_DIALOG, VrijwilligerswerkDialog } from './vrijwilligerswerkDialog.js';

export interface FlowRecord {
  /** The topic the router starts this flow for. */
  topic: TopicId;
  dialogId: string;
  create: (deps: FlowDeps) => FlowDialog;
  /** The content file with its wording (medewerker's few texts live in general.json). */
  content: keyof Content;
  /** The id of its button in general.json › menu, if it has one. */
  menuId?: TopicId;
}

export const FLOWS: readonly FlowRecord[] = [
  { topic: 'huishoudelijke-hulp', dialogId: HUISHOUDELIJKE_HULP_DIALOG, create: (d) => new HuishoudelijkeHulpDialog(d), content: 'huishoudelijkeHulp', menuId: 'huishoudelijke-hulp' },
  { topic: 'mantelzorg', dialogId: MANTELZORG_DIALOG, create: (d) => new MantelzorgDialog(d), content: 'mantelzorg', menuId: 'mantelzorg' },
  { topic: 'vrijwilligerswerk', dialogId: VRIJWILLIGERSWERK_DIALOG, create: (d) => new VrijwilligerswerkDialog(d), content: 'vrijwilligerswerk', menuId: 'vrijwilligerswerk' },
  { topic: 'wmo-melding', dialogId: MELDING_DIALOG, create: (d) => new MeldingDialog(d), content: 'melding', menuId: 'wmo-melding' },
  { topic: 'medewerker', dialogId: MEDEWERKER_DIALOG, create: (d) => new MedewerkerDialog(d), content: 'general', menuId: 'medewerker' },
];

/** The flow for a topic; topics without one get an answer from the knowledge base. */
export function flowFor(topic: TopicId): FlowRecord | undefined {
  return FLOWS.find((f) => f.topic === topic);
}

/** At start-up: a flow whose menu button is missing from general.json, as a content problem line. */
export function checkFlows(content: Content): string[] {
  const menu = new Set(content.general.menu.map((c) => c.id));
  return FLOWS.filter((f) => f.menuId && !menu.has(f.menuId)).map((f) => `error   general.json › menu: no button with id "${f.menuId}" for the ${f.topic} flow`);
}
