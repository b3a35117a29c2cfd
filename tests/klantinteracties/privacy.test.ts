/**
 * A record never carries a BSN to the municipality's API, whatever the resident typed and
 * wherever it ended up: summary, transcript, name, the call-back number field, the e-mail field,
 * the preferred time, an article title. Checked on every request body the stub received and on
 * the outbox files, with a BSN detector written apart from the code under test.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { isValidBsn } from '../../knowledge/privacy/redact.js';
import { type Fixture, bsnsIn, callback, handoff, melding, useFixture, waitUntilSent } from './helpers.js';

const BSN = '111222333';
const OTHER_BSN = '123456782';

/** The ways people write a BSN: grouped, dotted, glued to words, other digits, other spaces. */
const SPELLINGS = [
  '111222333',
  '111 222 333',
  '111.222.333',
  '111-222-333',
  '1112.22.333',
  '11 12 22 333',
  '1 1 1 2 2 2 3 3 3',
  '111  222  333',
  '111 - 222 - 333',
  '111/222/333',
  '111_222_333',
  '111,222,333',
  '111\u00a0222\u00a0333',
  '111\u2009222\u2009333',
  '\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13',
  '\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663',
  'bsn111222333',
  'BSN:111222333.',
  '(111222333)',
  '123456782',
  '1234 56 782',
];

async function outboxBytes(dir: string): Promise<string> {
  // The outbox keeps retrying meanwhile: a temp file may be renamed away while we read.
  const names = await readdir(dir);
  return (await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8').catch(() => '')))).join('\n');
}

describe('klantinteracties: no BSN leaves', () => {
  const fixture = useFixture();
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });

  it('test data: the numbers pass the 11-proef and the detector sees every spelling', () => {
    expect(isValidBsn(BSN) && isValidBsn(OTHER_BSN)).to.equal(true);
    for (const spelling of SPELLINGS) expect(bsnsIn(`tekst ${spelling} tekst`), spelling).to.have.length.greaterThan(0);
    expect(bsnsIn('bel 0612345678 of 035-5281234, op 2026-11-30T10:23:45.678Z')).to.deep.equal([]);
  });

  it('typed in every field, in every spelling: not in any request, not in the outbox; the contact still arrives', async () => {
    await f.stub.stop(); // queue first, so the outbox files can be read before anything is sent
    const everywhere = SPELLINGS.join(' en ');
    const results = await Promise.all([
      ...SPELLINGS.map((spelling, i) =>
        f.registry.recordClosedHandoff(
          handoff({
            reference: `OVD-BSN-${i}`,
            summary: `Mijn bsn is ${spelling}, wat moet ik doen?`,
            transcript: [{ from: 'resident', text: `bsn ${spelling}` }],
            contact: { name: `Jan ${spelling}`, phone: spelling },
            employee: { id: 'anna', name: `Anna ${spelling}` },
            citedArticles: [{ id: 'wmo-procedure', title: `Artikel ${spelling}` }],
            topic: `huishoudelijke hulp ${spelling}`,
          }),
        ),
      ),
      f.registry.recordCallback(
        callback({ summary: everywhere, preferredTime: `na 10 uur, bsn ${BSN}`, contact: { phone: '06-12345678', email: `${BSN}@example.nl`, name: `Piet ${OTHER_BSN}` } }),
      ),
      f.registry.recordMelding(melding({ summary: `Situatie: ${everywhere}`, urgency: `snel ${BSN}`, contact: { phone: BSN } })),
    ]);
    expect(results.every((r) => r === 'queued')).to.equal(true);
    expect(bsnsIn(await outboxBytes(f.dir)), 'outbox files').to.deep.equal([]);

    await f.stub.start();
    await waitUntilSent(f.registry, ['TBV-2026-3HX9RT', 'WMO-2026-ABCDEF', ...SPELLINGS.map((_, i) => `OVD-BSN-${i}`)]);
    const bodies = f.stub.bodies();
    expect(f.stub.requests.filter((r) => r.status >= 400)).to.deep.equal([]);
    expect(bsnsIn(bodies), 'request bodies').to.deep.equal([]);
    expect(bodies).to.contain('[BSN verwijderd]');

    // What the resident gave for the call-back still arrives; a BSN typed as a number does not.
    const adressen = f.stub.objects('digitaleadressen').map((a) => a.adres);
    expect(adressen).to.include('0612345678');
    expect(adressen.filter((a) => /example\.nl/.test(String(a))), 'an e-mail address that is a BSN').to.deep.equal([]);
    // redact() in knowledge/ misses some spellings; the wider net here caught them and said so.
    expect(f.logger.lines.some((l) => l.level === 'warn' && /BSN got past redaction/.test(l.msg ?? ''))).to.equal(true);
  });
});
