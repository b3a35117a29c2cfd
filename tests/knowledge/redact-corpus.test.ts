/**
 * Redaction against a generated corpus: valid and invalid 11-proef numbers in every spelling
 * residents (and attackers) use, phone numbers, hidden e-mail addresses, IBANs, dates of birth,
 * addresses and medical words, and ordinary sentences with amounts and dates that must stay as
 * they are.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { isValidBsn, redact, redactMedical } from '../../knowledge/privacy/redact.js';

/** Deterministic random numbers (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Valid BSNs; every third one starts with 0, so it can also be written as eight digits. */
function validBsns(count: number): string[] {
  const next = random(11);
  const out: string[] = [];
  while (out.length < count) {
    let digits = out.length % 3 === 0 ? '0' : String(1 + Math.floor(next() * 9));
    while (digits.length < 8) digits += String(Math.floor(next() * 10));
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
    const check = sum % 11;
    if (check === 10) continue;
    out.push(digits + String(check));
  }
  return out;
}

/** The same nine digits with the last one changed: the 11-proef fails. */
function invalid(bsn: string): string {
  return bsn.slice(0, 8) + String((Number(bsn[8]) + 1) % 10);
}

const fullwidth = (text: string) => text.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const groups = (d: string, sizes: number[], sep: string) => {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) parts.push(d.slice(at, (at += size)));
  return parts.join(sep);
};

const SPELLINGS: Record<string, (d: string) => string> = {
  plain: (d) => d,
  spaces: (d) => groups(d, [3, 3, 3], ' '),
  'double spaces': (d) => groups(d, [3, 3, 3], '  '),
  'non-breaking spaces': (d) => groups(d, [3, 3, 3], '\u00a0'),
  'narrow non-breaking spaces': (d) => groups(d, [3, 3, 3], '\u202f'),
  dots: (d) => groups(d, [3, 3, 3], '.'),
  dashes: (d) => groups(d, [3, 3, 3], '-'),
  'en dashes': (d) => groups(d, [3, 3, 3], '\u2013'),
  slashes: (d) => groups(d, [3, 3, 3], '/'),
  commas: (d) => groups(d, [3, 3, 3], ','),
  underscores: (d) => groups(d, [3, 3, 3], '_'),
  'ID card grouping': (d) => groups(d, [4, 2, 3], '.'),
  'every digit apart': (d) => d.split('').join(' '),
  'fullwidth digits': (d) => fullwidth(d),
  'zero-width space': (d) => `${d.slice(0, 4)}\u200b${d.slice(4)}`,
  'zero-width joiners everywhere': (d) => d.split('').join('\u200d'),
  'soft hyphens': (d) => groups(d, [3, 3, 3], '\u00ad'),
  'middle dots': (d) => groups(d, [3, 3, 3], '\u00b7'),
  'line breaks': (d) => groups(d, [3, 3, 3], '\n'),
  'Arabic-Indic digits': (d) => d.replace(/\d/g, (x) => String.fromCharCode(0x0660 + Number(x))),
  'Devanagari digits': (d) => groups(d.replace(/\d/g, (x) => String.fromCharCode(0x0966 + Number(x))), [3, 3, 3], ' '),
};

const SENTENCES = [
  (x: string) => `Mijn BSN is ${x}.`,
  (x: string) => `${x} is het nummer van mijn moeder`,
  (x: string) => `bsn:${x}`,
  (x: string) => `(burgerservicenummer ${x}) ze woont alleen`,
  (x: string) => `Haar nummer is ${x}, graag snel antwoord`,
];

const digitsOf = (text: string) => text.normalize('NFKC').replace(/[^\p{Nd}]/gu, '');

describe('redaction corpus: BSN in every spelling', () => {
  const bsns = validBsns(60);

  it('test data: the generated numbers pass, and their changed copies fail, the 11-proef', () => {
    for (const bsn of bsns) {
      expect(isValidBsn(bsn), bsn).to.equal(true);
      expect(isValidBsn(invalid(bsn)), invalid(bsn)).to.equal(false);
    }
  });

  for (const [name, spell] of Object.entries(SPELLINGS)) {
    it(`a valid BSN written with ${name} is removed, said and not kept`, () => {
      for (const bsn of bsns) {
        for (const sentence of SENTENCES) {
          const input = sentence(spell(bsn));
          const { text, found } = redact(input);
          expect(found, input).to.include('bsn');
          expect(text, input).to.include('[BSN verwijderd]');
          expect(digitsOf(text), `${input} → ${text}`).to.equal('');
        }
      }
    });

    it(`an invalid number written with ${name} is left as it is`, () => {
      for (const bsn of bsns) {
        const input = `Mijn klantnummer is ${spell(invalid(bsn))}.`;
        expect(redact(input), input).to.deep.equal({ text: input, found: [] });
      }
    });
  }

  it('eight digits: a BSN whose leading 0 was left off is removed; without that 0 an invalid one stays', () => {
    for (const bsn of bsns.filter((b) => b.startsWith('0'))) {
      const input = `mijn bsn is ${bsn.slice(1)}`;
      expect(redact(input).text, input).to.equal('mijn bsn is [BSN verwijderd]');
      const wrong = `klantnummer ${invalid(bsn).slice(1)}`;
      expect(redact(wrong).text, wrong).to.equal(wrong);
    }
  });
});

describe('redaction corpus: ordinary sentences stay as they are', () => {
  const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
  const pad = (n: number) => String(n).padStart(2, '0');

  it('dates and times of appointments, in every common spelling, for three years of days', () => {
    for (let day = new Date(Date.UTC(2024, 0, 1)); day.getUTCFullYear() < 2027; day.setUTCDate(day.getUTCDate() + 1)) {
      const [d, m, y] = [day.getUTCDate(), day.getUTCMonth() + 1, day.getUTCFullYear()];
      const spellings = [
        `${pad(d)}-${pad(m)}-${y}`, `${d}-${m}-${y}`, `${pad(d)}/${pad(m)}/${y}`, `${pad(d)}.${pad(m)}.${y}`,
        `${pad(d)}${pad(m)}${y}`, `${y}-${pad(m)}-${pad(d)}`, `${d} ${MONTHS[m - 1]} ${y}`, `${pad(d)}-${pad(m)}-${String(y).slice(2)}`,
      ];
      for (const date of spellings) {
        for (const input of [`Mijn afspraak is op ${date} om 10.30 uur.`, `Op ${date} 14:00 komt de consulent, 2 uur.`, `Sinds ${date}, 3 dagen per week.`]) {
          expect(redact(input), input).to.deep.equal({ text: input, found: [] });
        }
      }
    }
  });

  it('amounts, also when their digits would pass the 11-proef', () => {
    const next = random(7);
    const bsn = validBsns(30);
    const inputs = bsn.flatMap((b) => [
      `Ik betaal € ${groups(b, [3, 3, 3], '.')} per jaar`,
      `Dat kost ${groups(b, [3, 3, 3], '.')} euro`,
      `het bedrag is €${groups(b, [3, 3, 3], '.')},-`,
    ]);
    for (let i = 0; i < 300; i++) {
      const euros = Math.floor(next() * 100_000);
      const cents = pad(Math.floor(next() * 100));
      inputs.push(`De eigen bijdrage is € ${euros.toLocaleString('nl-NL')},${cents} per maand en ${Math.floor(next() * 40)} uur hulp.`);
    }
    for (const input of inputs) expect(redact(input), input).to.deep.equal({ text: input, found: [] });
  });

  it('public numbers, counts and short codes', () => {
    for (const input of [
      'Veilig Thuis 0800-2000 en 113 of 0800-0113, bij nood 112',
      'Bel 14 035 voor de gemeente',
      'ik ben 84 jaar, 2 kinderen, 5 kleinkinderen',
      'referentie WMO-2026-AB3CDE',
      'ik ben onderweg 10 minuten',
      'de vergadering 2 keer per maand',
      'in 2024 ga ik verhuizen',
      'hij at brood. Daarna ging hij weg',
      'kijk at home',
    ]) {
      expect(redact(input), input).to.deep.equal({ text: input, found: [] });
    }
  });
});

describe('redaction corpus: phone, e-mail, IBAN, date of birth, address', () => {
  const expectAll = (kind: string, inputs: string[], check: (input: string, text: string) => void) => {
    for (const input of inputs) {
      const { text, found } = redact(`Bel of mail: ${input} dank u`);
      expect(found, input).to.deep.equal([kind]);
      check(input, text);
    }
  };

  it('Dutch phone numbers in any grouping, with +31, tel and hidden characters', () => {
    expectAll(
      'telefoon',
      [
        '(035) 528 12 34', '035-5281234', '035 - 528 12 34', '06.12.34.56.78', '06/12345678', '06/12 34 56 78', 'tel0612345678',
        'tel:06-12345678', '+31 6 12345678', '+31(0)6-12345678', '+31 (0)6 1234 5678', '0031 6 1234 5678', '+31 35 528 12 34',
        '06 - 12 34 56 78', '０６１２３４５６７８', '06\u00a012345678', '06\u201312345678', '06\u200b12345678', '+32 470 12 34 56',
        '31612345678', '31 6 12345678', '٠٦١٢٣٤٥٦٧٨', '0 6 1 2 3 4 5 6 7 8', '06\n12 34 56 78',
      ],
      (input, text) => expect(text, input).to.match(/^Bel of mail: (tel:?)?\[telefoon verwijderd\] dank u$/),
    );
  });

  it('e-mail addresses, also written with (at), [at], " @ ", "at" and "punt"', () => {
    expectAll(
      'email',
      [
        'jan.jansen(at)gmail.com', 'jan.jansen (at) gmail.com', 'henk punt bakker at ziggo punt nl', 'jan[at]hotmail.com', 'jan @ gmail.com',
        'jan@gmail punt com', 'ｊａｎ＠ｇｍａｉｌ．ｃｏｍ', 'jan{at}kpn punt nl', 'j.de.vries@example.nl', 'jan apenstaartje gmail punt com', 'jan @ hotmail . com',
        'j . de . vries @ ziggo . nl',
        'jan.jansen@gmail(punt)com', 'jan\u200b@\u200bgmail.com', 'jan at gmail dot com', 'jan.jansen[at]gmail[dot]com',
      ],
      (input, text) => expect(text, input).to.equal('Bel of mail: [e-mail verwijderd] dank u'),
    );
  });

  it('IBANs with double spaces, dots, dashes or in lower case', () => {
    expectAll(
      'iban',
      ['NL91 ABNA 0417 1643 00', 'NL91  ABNA  0417  1643  00', 'NL91.ABNA.0417.1643.00', 'nl91abna0417164300', 'NL91-ABNA-0417-1643-00',
        'NL91\u00a0ABNA\u00a00417\u00a01643\u00a000', 'BE68 5390 0754 7034', 'DE89 3704 0044 0532 0130 00'],
      (input, text) => expect(text, input).to.equal('Bel of mail: [IBAN verwijderd] dank u'),
    );
  });

  it('a date of birth, and only that date', () => {
    const cases: Array<[string, string]> = [
      ['Ik ben geboren op 12-03-1945.', 'Ik ben geboren op [geboortedatum verwijderd].'],
      ['geboortedatum: 12 maart 1945', 'geboortedatum: [geboortedatum verwijderd]'],
      ['Mijn moeder (geb. 3/4/38) woont alleen', 'Mijn moeder (geb. [geboortedatum verwijderd]) woont alleen'],
      ['Mijn vader, geboren 01.02.1938, valt vaak', 'Mijn vader, geboren [geboortedatum verwijderd], valt vaak'],
      ['geboren 12031945', 'geboren [geboortedatum verwijderd]'],
      ['geb.datum: 15-3-1950', 'geb.datum: [geboortedatum verwijderd]'],
      ['Geb. datum 15 mrt. 1950', 'Geb. datum [geboortedatum verwijderd]'],
    ];
    for (const [input, expected] of cases) expect(redact(input), input).to.deep.equal({ text: expected, found: ['geboortedatum'] });
  });

  it('a street address with its house number, and a postcode', () => {
    const cases: Array<[string, string]> = [
      ['Ik woon op de Kerkstraat 12 in Huizen', 'Ik woon op de [adres verwijderd] in Huizen'],
      ['Brinklaan 101-3, 1404 GA Bussum', '[adres verwijderd], [adres verwijderd] Bussum'],
      ['adres: stationsweg 4a', 'adres: [adres verwijderd]'],
      ['Mijn moeder woont aan het Stadspark 3.', 'Mijn moeder woont aan het [adres verwijderd].'],
      ['KERKSTRAAT 12 HUIZEN', '[adres verwijderd] HUIZEN'],
      ['Kerkstr. 12a', '[adres verwijderd]'],
      ['Wij wonen aan de Graaf Wichmanlaan 25.', 'Wij wonen aan de [adres verwijderd].'],
      ['ik woon op de Van der Veldelaan 3', 'ik woon op de [adres verwijderd]'],
      ['Burg. de Withstraat 2 is ons adres', '[adres verwijderd] is ons adres'],
    ];
    for (const [input, expected] of cases) expect(redact(input), input).to.deep.equal({ text: expected, found: ['adres'] });
  });

  it('the redacted text still reads well', () => {
    const input = 'Mijn BSN is 123 456 782 en mijn telefoon (035) 528 12 34. Mail naar jan(at)ziggo.nl – dank u! 🙂';
    expect(redact(input).text).to.equal(
      'Mijn BSN is [BSN verwijderd] en mijn telefoon [telefoon verwijderd]. Mail naar [e-mail verwijderd] – dank u! 🙂',
    );
  });
});

describe('redaction corpus: medical words in compounds and inflections', () => {
  const terms = (JSON.parse(readFileSync(new URL('../../knowledge/content/melding.json', import.meta.url), 'utf8')) as { medicalTerms: string[] }).medicalTerms;

  it('removes the whole word, in compounds, inflections, capitals and with hidden characters', () => {
    for (const word of [
      'longkanker', 'alzheimerpatiënt', 'Alzheimer', 'dementerend', 'demente', 'psychotisch', 'CVA', 'CVA-patiënt', 'depressieve',
      'hiv-positief', 'kankerpatiënt', 'hersen\u00adinfarct', 'schizofreen', 'epileptisch', 'diabeet', 'autistisch', 'PARKINSON',
      'kan\u200bker', 'multiple sclerose', 'burn-out', 'angststoornis', 'verslaafd', 'medicijn', 'depressiviteit', 'hersenletsel',
      'PTSS', 'alcoholist',
    ]) {
      const input = `Mijn moeder heeft ${word} sinds vorig jaar.`;
      expect(redactMedical(input, terms), input).to.deep.equal({ text: 'Mijn moeder heeft [medisch gegeven verwijderd] sinds vorig jaar.', medical: true });
    }
  });

  it('leaves ordinary words alone', () => {
    for (const input of ['Het initiatief is goed', 'Ze heeft veel humor', 'Ik heb hulp bij het huishouden nodig', 'De aanvraag liep vast', 'Ik ben onderweg']) {
      expect(redactMedical(input, terms), input).to.deep.equal({ text: input, medical: false });
    }
  });
});
