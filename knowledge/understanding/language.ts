/**
 * Dutch or English, by counting common function words of each language. Good enough to answer
 * in the citizen's language; Dutch is the default when nothing points to English.
 */
const ENGLISH = new Set(
  ('i me my mine you your he she him her his it its we our they their the a an and or but of to in on at for with ' +
    'from by about is are was were be been am do does did have has had can could would should will shall may must ' +
    'not no yes what which who whom how when where why this that these those there here please help need want ' +
    'get got someone anyone thanks thank hello hi good morning afternoon evening bye cannot cant dont doesnt im ' +
    'ive any some much many more very too also just apply pay money home house care support').split(' '),
);

const DUTCH = new Set(
  ('ik mij me mijn mn je jij jou jouw u uw hij zij ze haar hem zijn wij we ons onze jullie hun de het een en of ' +
    'maar van voor met bij naar op aan uit over om te ten tot door in is ben bent was waren wordt word worden ' +
    'heb hebt heeft hebben had kan kun kunt kunnen wil wilt willen moet moeten mag mogen niet geen nog al ook ' +
    'wel wat wie waar wanneer hoe waarom dit dat deze die er hier daar graag hulp nodig krijgen aanvragen ' +
    'hallo hoi dag dank bedankt goedemorgen goedemiddag alsjeblieft aub ff even meer zelf kan').split(' '),
);

export type Language = 'nl' | 'en';

export function detectLanguage(text: string): Language {
  const words = text
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z\u00c0-\u024f]+/)
    .filter(Boolean);
  let en = 0;
  let nl = 0;
  for (const w of words) {
    if (ENGLISH.has(w)) en++;
    if (DUTCH.has(w)) nl++;
  }
  return en > nl ? 'en' : 'nl';
}
