/**
 * Which municipality a resident means: residents type the town they live in ("ik woon in Bussum"),
 * not always the municipality (Gooise Meren). Matches names, places and CBS codes as whole words.
 */
import { damerauLevenshtein, tokenize } from './nlp/dutch.js';
import type { Municipality } from './types.js';

/** Names of this many letters or more may contain one typo ("busum", "hilversm"). */
const TYPO_MIN_LENGTH = 6;

/**
 * Everyday words one typo away from a place name; they are words, not typos ("muizen" is not
 * Muiden, "waarden" is not Naarden). An exact place name still matches.
 */
const NOT_A_TYPO = new Set(['muizen', 'huize', 'buizen', 'luizen', 'waarden']);

interface Match {
  municipality: Municipality;
  length: number;
  typos: number;
}

/** Typos (0 or 1) when `name` occurs as whole words at `start` in `words`, or undefined. */
function matchAt(words: string[], start: number, name: string[]): number | undefined {
  if (start + name.length > words.length) return undefined;
  let typos = 0;
  for (let i = 0; i < name.length; i++) {
    const word = words[start + i];
    const want = name[i];
    if (word === want) continue;
    if (want.length < TYPO_MIN_LENGTH || NOT_A_TYPO.has(word) || damerauLevenshtein(word, want, 1) > 1) return undefined;
    if (++typos > 1) return undefined;
  }
  return typos;
}

/**
 * The municipality whose name, place (woonplaats/kern) or CBS code occurs in the text, or
 * undefined (also for towns outside the region). Case- and accent-insensitive; one typo allowed
 * in names of 6+ letters. Exact matches beat typos, then the longest name wins.
 */
export function findMunicipalityInText(text: string, municipalities: Municipality[]): Municipality | undefined {
  const words = tokenize(text);
  let best: Match | undefined;
  for (const municipality of municipalities) {
    const names = [municipality.name, municipality.code, ...(municipality.places ?? [])].map(tokenize).filter((n) => n.length > 0);
    for (const name of names) {
      const length = name.join(' ').length;
      for (let start = 0; start < words.length; start++) {
        const typos = matchAt(words, start, name);
        if (typos === undefined) continue;
        if (!best || typos < best.typos || (typos === best.typos && length > best.length)) best = { municipality, length, typos };
      }
    }
  }
  return best?.municipality;
}
