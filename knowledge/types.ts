/**
 * The knowledge base's data model. Plain data, no Bot Framework types: the bot, the staff
 * console and the command-line tools all read the same shapes.
 *
 * Files under knowledge/data/ hold these shapes as JSON, edited by a knowledge manager.
 * Dates are ISO dates (YYYY-MM-DD). Municipalities are identified by CBS code (GM + 4 digits).
 */
import type { TopicId } from './topics.js';

export type CbsCode = string; // "GM0406"
export type IsoDate = string; // "2026-11-01"

export interface Source {
  title: string;
  url: string;
}

/** What a knowledge item says about its own trustworthiness. */
export interface Checked {
  sources: Source[];
  lastChecked: IsoDate;
}

/** Opening hours as structured data: one entry per day range. */
export interface OpeningHours {
  /** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
  days: number[];
  opens: string; // "09:00"
  closes: string; // "17:00"
  note?: string;
}

export interface Contact {
  phone?: string; // Dutch notation, e.g. "035 528 12 34" or "14 035"
  email?: string;
  website?: string;
  address?: Address;
  openingHours?: OpeningHours[];
}

export interface Address {
  street: string; // "Graaf Wichmanlaan 25"
  postalCode: string; // "1271 JL"
  city: string;
  country?: string; // ISO 3166-1 alpha-2, default "NL"
}

export interface Municipality {
  code: CbsCode;
  name: string;
  region: string; // "Gooi en Vechtstreek"
  /** The woonplaatsen/kernen in the municipality ("Bussum", "Naarden"): residents name their town, not the municipality. */
  places?: string[];
  /** true for demo data that must not be taken for the municipality's real policy. */
  example: boolean;
  loket: Contact & { name: string };
  settings: {
    mantelzorgwaardering: {
      form: string; // B1: what it is ("een cadeaubon van €100", "een bedrag van €150")
      year: number; // the year the amount holds for
      howToApply: string;
      applyUntil?: IsoDate;
    };
    pgbOffered: boolean;
    /** id of the sociale-kaart service that is the local vrijwilligerscentrale. */
    vrijwilligerscentraleServiceId: string;
    /** id of the sociale-kaart service that is the sociaal wijkteam. */
    wijkteamServiceId: string;
    /** id of the sociale-kaart service for free cliëntondersteuning. */
    clientondersteuningServiceId?: string;
  } & Checked;
}

export type ProvisionKind = 'algemene voorziening' | 'maatwerkvoorziening';

export interface Provision extends Checked {
  id: string; // "huishoudelijke-hulp-maatwerk"
  name: string;
  upl?: { name: string; uri: string }; // http://standaarden.overheid.nl/owms/terms/huishHulp
  iwmoCategory?: string; // "01"
  kind: ProvisionKind;
  topics: TopicId[];
  description: string; // B1
  forWhom: string; // B1
  howToGet: string; // B1
  costs: { abonnementstarief: boolean; description: string };
  /** Per municipality: available or not, and what differs there. Missing code = not offered. */
  availability: Array<{
    gemeente: CbsCode;
    available: boolean;
    variation?: string;
    serviceIds?: string[]; // sociale-kaart services that provide it there
  }>;
  keywords?: string[];
}

export interface Article extends Checked {
  id: string; // "procedure-onderzoek-zes-weken"
  title: string;
  topics: TopicId[];
  /** B1 text, at most three short paragraphs separated by blank lines. */
  body: string;
  /** Follow-up questions offered as buttons. */
  followUps: string[];
  keywords?: string[];
}

/* ---- Sociale kaart: aligned with Open Referral HSDS 3.0 ---- */

export type ServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';

export interface HsdsPhone {
  id: string;
  number: string;
  type?: 'voice' | 'fax' | 'text' | 'cell' | 'video' | 'pager' | 'textphone';
  description?: string;
}

export interface HsdsSchedule {
  id: string;
  freq?: 'WEEKLY' | 'MONTHLY';
  byday?: string; // "MO,TU,WE"
  opens_at?: string; // "09:00"
  closes_at?: string;
  valid_from?: IsoDate;
  valid_to?: IsoDate;
  description?: string;
}

export interface HsdsServiceArea {
  id: string;
  name: string;
  /** CBS code of the municipality served (our extension: HSDS leaves the extent free). */
  gemeente: CbsCode;
}

export interface HsdsAddress {
  address_1: string;
  city: string;
  postal_code: string;
  country: string; // "NL"
  state_province?: string;
}

export interface HsdsLocation {
  id: string;
  location_type: 'physical' | 'postal' | 'virtual';
  name?: string;
  latitude?: number;
  longitude?: number;
  addresses: HsdsAddress[];
}

export interface HsdsTaxonomyTerm {
  id: string;
  code: string;
  name: string;
  parent_id?: string;
  taxonomy?: string;
}

export interface HsdsService {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  status: ServiceStatus;
  email?: string;
  url?: string;
  eligibility_description?: string;
  application_process?: string;
  fees_description?: string;
  wait_time?: string;
  minimum_age?: number;
  maximum_age?: number;
  phones: HsdsPhone[];
  schedules: HsdsSchedule[];
  service_areas: HsdsServiceArea[];
  /** ids of locations of the organization where the service is given (service_at_location). */
  location_ids: string[];
  /** Our topic ids, stored as HSDS taxonomy terms with taxonomy "wmo-topic". */
  topics: TopicId[];
  taxonomy_terms?: HsdsTaxonomyTerm[];
  last_modified?: IsoDate;
}

export interface HsdsOrganization {
  id: string;
  name: string;
  description: string;
  email?: string;
  website?: string;
  phones?: HsdsPhone[];
  locations: HsdsLocation[];
}

/** The file knowledge/data/sociale-kaart.json. */
export interface SocialeKaart {
  region: string;
  example: boolean;
  lastChecked: IsoDate;
  organizations: HsdsOrganization[];
  services: HsdsService[];
}

/** One problem found by validation, pointing at the place a knowledge manager must edit. */
export interface Problem {
  severity: 'error' | 'warning';
  file: string;
  id?: string;
  field?: string;
  message: string;
}
