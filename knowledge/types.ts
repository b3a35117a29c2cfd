/**
 * The knowledge base's data model. Plain data, no Bot Framework types: the bot, the staff
 * console and the command-line tools all read the same shapes.
 *
 * Files under knowledge/data/ hold these shapes as JSON, edited by a knowledge manager.
 * Dates are ISO dates (YYYY-MM-DD). Municipalities are identified by CBS code (GM + 4 digits).
 */
import type { z } from 'zod';
import type * as schema from './validate/data.js';

/*
 * The shapes come from the zod schemas in validate/data.ts, which `npm run kb:check` runs: the
 * contract is written once. Field comments are there.
 */
export type Source = z.infer<typeof schema.sourceSchema>;
export type OpeningHours = z.infer<typeof schema.openingHoursSchema>;
export type Municipality = z.infer<typeof schema.municipalitySchema>;
export type Contact = Omit<Municipality['loket'], 'name'>;
export type Provision = z.infer<typeof schema.provisionSchema>;
export type Article = z.infer<typeof schema.articleSchema>;

/* ---- Sociale kaart: aligned with Open Referral HSDS 3.0 ---- */
export type HsdsPhone = z.infer<typeof schema.hsdsPhoneSchema>;
export type HsdsSchedule = z.infer<typeof schema.hsdsScheduleSchema>;
export type HsdsServiceArea = z.infer<typeof schema.hsdsServiceAreaSchema>;
export type HsdsAddress = z.infer<typeof schema.hsdsAddressSchema>;
export type HsdsLocation = z.infer<typeof schema.hsdsLocationSchema>;
export type HsdsTaxonomyTerm = z.infer<typeof schema.hsdsTaxonomyTermSchema>;
export type HsdsService = z.infer<typeof schema.serviceSchema>;
export type ServiceStatus = HsdsService['status'];
export type HsdsOrganization = z.infer<typeof schema.organizationSchema>;
/** The file knowledge/data/sociale-kaart.json. */
export type SocialeKaart = z.infer<typeof schema.socialeKaartSchema>;

/** One problem found by validation, pointing at the place a knowledge manager must edit. */
export interface Problem {
  severity: 'error' | 'warning';
  file: string;
  id?: string;
  field?: string;
  message: string;
}
