/**
 * Ranked retrieval over provisions, articles and sociale-kaart services: BM25F (field weights
 * name/title 3 > keywords 2 > description 1) over terms from the Dutch analyzer. Documents are
 * analysed once at build time; a query only analyses the query and walks the postings.
 */
import { type AnalyzedTerm, type SynonymEntry, TextAnalyzer } from '../nlp/dutch.js';
import type { TopicId } from '../topics.js';
import type { Article, Provision, SocialeKaart, Source } from '../types.js';
import { amsterdamTime, openHours, weeklyHours, type WeeklyHours } from './openNow.js';

export type HitKind = 'provision' | 'article' | 'service';

export interface SearchOptions {
  /** CBS code: services that serve it, provisions available there, and (national) articles. */
  gemeente?: string;
  topic?: TopicId;
  kinds?: HitKind[];
  /** Only services open at `now` (provisions and articles have no opening hours, so they drop out). */
  openNow?: boolean;
  now?: Date;
  /** Default 10. */
  limit?: number;
}

export interface SearchHit {
  kind: HitKind;
  id: string;
  title: string;
  score: number;
  /** Why it matched, e.g. `term "mantelzorg" in name`, `typo mantlezorg → mantelzorg`. */
  why: string[];
  /** A query word (itself, or by a synonym or compound) stands in the title or name, or the keywords. */
  inTitleOrKeywords: boolean;
  topics: TopicId[];
  snippet: string;
  sources: Source[];
  url?: string;
}

export interface SearchableKnowledge {
  provisions: Provision[];
  articles: Article[];
  socialeKaart: SocialeKaart;
}

interface Doc {
  kind: HitKind;
  id: string;
  title: string;
  topics: TopicId[];
  snippet: string;
  sources: Source[];
  url?: string;
  /** Municipalities where it applies; null = everywhere (national articles). */
  gemeenten: Set<string> | null;
  /** Services only: weekly opening hours, parsed at build time. */
  hours?: WeeklyHours[];
}

interface Postings {
  docs: number[];
  /** Field-weighted term frequency per doc. */
  tf: number[];
  /** Fields the term occurs in: bits 0-2 literally (name/title, keywords, description), bits 3-5 via the doc's own synonyms/compounds. */
  fields: number[];
}

const FIELD_WEIGHTS = [3, 2, 1] as const;
const K1 = 1.2;
const B = 0.75;
/** Weight of terms a document gets from its own compounds and synonyms (less than its literal words). */
const DERIVED_DOC_TERM = 0.5;
const QUERY_WEIGHT: Record<AnalyzedTerm['origin'], number> = { word: 1, typo: 0.9, synonym: 0.8, compound: 0.7 };
const SNIPPET_LENGTH = 160;
const WHY_ORDER: Array<AnalyzedTerm['origin']> = ['word', 'typo', 'compound', 'synonym'];

function snippetOf(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= SNIPPET_LENGTH) return clean;
  const cut = clean.lastIndexOf(' ', SNIPPET_LENGTH);
  return `${clean.slice(0, cut > 80 ? cut : SNIPPET_LENGTH)}…`;
}

function fieldNames(kind: HitKind, mask: number): string {
  const names = [kind === 'article' ? 'title' : 'name', 'keywords', kind === 'article' ? 'body' : 'description'];
  return names.filter((_, i) => mask & (1 << i)).join(', ');
}

/** A document's three fields: [name/title, keywords, description]. */
type Fields = [string, string, string];

function documents(kb: SearchableKnowledge): Array<{ doc: Doc; fields: Fields }> {
  const out: Array<{ doc: Doc; fields: Fields }> = [];
  for (const p of kb.provisions) {
    out.push({
      doc: {
        kind: 'provision',
        id: p.id,
        title: p.name,
        topics: p.topics,
        snippet: snippetOf(p.description),
        sources: p.sources,
        url: p.sources[0]?.url,
        gemeenten: new Set(p.availability.filter((a) => a.available).map((a) => a.gemeente)),
      },
      fields: [p.name, [p.upl?.name ?? '', ...(p.keywords ?? [])].join(' . '), [p.description, p.forWhom, p.howToGet, p.kind].join(' . ')],
    });
  }
  for (const a of kb.articles) {
    out.push({
      doc: { kind: 'article', id: a.id, title: a.title, topics: a.topics, snippet: snippetOf(a.body), sources: a.sources, url: a.sources[0]?.url, gemeenten: null },
      fields: [a.title, (a.keywords ?? []).join(' . '), a.body],
    });
  }
  const orgs = new Map(kb.socialeKaart.organizations.map((o) => [o.id, o]));
  for (const s of kb.socialeKaart.services) {
    if (s.status !== 'active' && s.status !== 'temporarily closed') continue; // inactive/defunct: not offered
    const org = orgs.get(s.organization_id);
    const url = s.url ?? org?.website;
    out.push({
      doc: {
        kind: 'service',
        id: s.id,
        title: s.name,
        topics: s.topics,
        snippet: snippetOf(s.description),
        sources: url ? [{ title: org ? `${s.name} (${org.name})` : s.name, url }] : [],
        url,
        gemeenten: new Set(s.service_areas.map((a) => a.gemeente)),
        hours: s.status === 'active' ? weeklyHours(s.schedules) : [], // temporarily closed is never open now
      },
      fields: [
        s.name,
        [org?.name ?? '', ...(s.taxonomy_terms ?? []).map((t) => t.name)].join(' . '),
        [s.description, s.eligibility_description ?? '', s.application_process ?? ''].join(' . '),
      ],
    });
  }
  return out;
}

export class SearchIndex {
  private readonly docs: Doc[] = [];
  private readonly postings = new Map<string, Postings>();
  private readonly docLength: Float64Array;
  private readonly avgLength: number;
  private readonly scores: Float64Array;

  private constructor(
    readonly analyzer: TextAnalyzer,
    items: Array<{ doc: Doc; fields: Fields }>,
  ) {
    this.docLength = new Float64Array(items.length);
    this.scores = new Float64Array(items.length);
    let total = 0;
    items.forEach(({ doc, fields }, d) => {
      this.docs.push(doc);
      const terms = new Map<string, { tf: number; fields: number }>();
      let length = 0;
      fields.forEach((text, f) => {
        for (const t of analyzer.analyzeDetailed(text, { correctTypos: false })) {
          const w = FIELD_WEIGHTS[f] * (t.origin === 'word' ? 1 : DERIVED_DOC_TERM);
          const entry = terms.get(t.term);
          if (entry) {
            entry.tf += w;
            entry.fields |= 1 << (t.origin === 'word' ? f : f + 3);
          } else terms.set(t.term, { tf: w, fields: 1 << (t.origin === 'word' ? f : f + 3) });
          length += w;
        }
      });
      for (const [term, { tf, fields: mask }] of terms) {
        let p = this.postings.get(term);
        if (!p) this.postings.set(term, (p = { docs: [], tf: [], fields: [] }));
        p.docs.push(d);
        p.tf.push(tf);
        p.fields.push(mask);
      }
      this.docLength[d] = length;
      total += length;
    });
    this.avgLength = items.length ? total / items.length : 1;
  }

  /** Builds the index; the analyzer learns the knowledge text's words (for compounds and typos). */
  static build(kb: SearchableKnowledge, options: { synonyms?: SynonymEntry[]; analyzer?: TextAnalyzer } = {}): SearchIndex {
    const items = documents(kb);
    const analyzer = options.analyzer ?? new TextAnalyzer({ synonyms: options.synonyms });
    analyzer.addVocabulary(items.flatMap((i) => i.fields));
    return new SearchIndex(analyzer, items);
  }

  get size(): number {
    return this.docs.length;
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 10;
    // Query terms with their best weight and every way they were derived (for "why").
    const queryTerms = new Map<string, { weight: number; reasons: AnalyzedTerm[] }>();
    for (const t of this.analyzer.analyzeDetailed(query)) {
      if (!this.postings.has(t.term)) continue;
      const q = queryTerms.get(t.term);
      if (q) {
        q.weight = Math.max(q.weight, QUERY_WEIGHT[t.origin]);
        q.reasons.push(t);
      } else queryTerms.set(t.term, { weight: QUERY_WEIGHT[t.origin], reasons: [t] });
    }
    if (queryTerms.size === 0 || limit <= 0) return [];

    const allowed = this.filter(options);
    const scores = this.scores;
    const touched: number[] = [];
    const n = this.docs.length;
    for (const [term, q] of queryTerms) {
      const p = this.postings.get(term)!;
      const idf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        if (!allowed(d)) continue;
        const tf = p.tf[i];
        const s = q.weight * idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.docLength[d]) / this.avgLength)));
        if (scores[d] === 0) touched.push(d);
        scores[d] += s;
      }
    }
    // Top-k by insertion into a short sorted list: cheaper than sorting every touched doc.
    const better = (a: number, b: number): boolean => scores[a] > scores[b] || (scores[a] === scores[b] && this.docs[a].id < this.docs[b].id);
    const best: number[] = [];
    for (const d of touched) {
      if (best.length === limit && !better(d, best[limit - 1])) continue;
      let i = best.length === limit ? limit - 1 : best.length;
      while (i > 0 && better(d, best[i - 1])) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = d;
    }
    const top = best.map((d) => ({ d, score: scores[d] }));
    for (const d of touched) scores[d] = 0;
    return top.map(({ d, score }) => this.hit(d, score, queryTerms, options));
  }

  private filter(options: SearchOptions): (d: number) => boolean {
    const kinds = options.kinds ? new Set(options.kinds) : null;
    const at = options.openNow ? amsterdamTime(options.now ?? new Date()) : null;
    const { gemeente, topic } = options;
    if (!kinds && !at && !gemeente && !topic) return () => true;
    const memo = new Int8Array(this.docs.length); // 0 unknown, 1 allowed, 2 filtered out
    return (d) => {
      if (memo[d] === 0) {
        const doc = this.docs[d];
        const ok =
          (!kinds || kinds.has(doc.kind)) &&
          (!topic || doc.topics.includes(topic)) &&
          (!gemeente || doc.gemeenten === null || doc.gemeenten.has(gemeente)) &&
          (!at || (doc.hours !== undefined && openHours(doc.hours, at) !== undefined));
        memo[d] = ok ? 1 : 2;
      }
      return memo[d] === 1;
    };
  }

  private fieldsOf(term: string, d: number): number {
    const p = this.postings.get(term);
    if (!p) return 0;
    let lo = 0;
    let hi = p.docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (p.docs[mid] === d) return p.fields[mid];
      if (p.docs[mid] < d) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  private hit(d: number, score: number, queryTerms: Map<string, { reasons: AnalyzedTerm[] }>, options: SearchOptions): SearchHit {
    const doc = this.docs[d];
    const matched: Array<{ rank: number; reason: string }> = [];
    let inTitleOrKeywords = false;
    for (const [term, q] of queryTerms) {
      const mask = this.fieldsOf(term, d);
      if (!mask) continue;
      for (const r of q.reasons) {
        // Bits 0-2: the word itself in title/name, keywords, body; bits 3-5: by a synonym or compound.
        if (r.origin === 'word' && ((mask & 7 ? mask : mask >> 3) & 3) !== 0) inTitleOrKeywords = true;
        const reason =
          r.origin !== 'word'
            ? `${r.origin} ${r.note}`
            : mask & 7
              ? `term "${r.source}" in ${fieldNames(doc.kind, mask & 7)}`
              : `term "${r.source}" via a synonym or compound in ${fieldNames(doc.kind, mask >> 3)}`;
        if (!matched.some((m) => m.reason === reason)) matched.push({ rank: WHY_ORDER.indexOf(r.origin), reason });
      }
    }
    const why = matched.sort((a, b) => a.rank - b.rank).map((m) => m.reason);
    if (options.gemeente && doc.gemeenten) why.push(`${doc.kind === 'service' ? 'serves' : 'available in'} ${options.gemeente}`);
    if (options.openNow && doc.hours) {
      const h = openHours(doc.hours, amsterdamTime(options.now ?? new Date()));
      if (h) why.push(`open now (${h.schedule.byday} ${h.schedule.opens_at}-${h.schedule.closes_at})`);
    }
    return {
      kind: doc.kind,
      id: doc.id,
      title: doc.title,
      score: Math.round(score * 1000) / 1000,
      why,
      inTitleOrKeywords,
      topics: doc.topics,
      snippet: doc.snippet,
      sources: doc.sources,
      ...(doc.url ? { url: doc.url } : {}),
    };
  }
}
