import { expect } from 'chai';
import { allowPublicContacts, isValidBsn, isValidIban, redact, redactDeep } from '../../knowledge/privacy/redact.js';

describe('redaction of personal data', () => {
  it('recognises a BSN by the 11-proef and leaves other nine-digit numbers alone', () => {
    expect(isValidBsn('111222333')).to.equal(true);
    expect(isValidBsn('123456782')).to.equal(true);
    expect(isValidBsn('123456789')).to.equal(false);
    expect(isValidBsn('000000000')).to.equal(false);
  });

  const cases: Array<[string, string, string[]]> = [
    ['mijn bsn is 111222333', 'mijn bsn is [BSN verwijderd]', ['bsn']],
    ['BSN: 123.456.782 graag', 'BSN: [BSN verwijderd] graag', ['bsn']],
    ['ordernummer 123456789', 'ordernummer 123456789', []],
    ['bel me op 06-12345678', 'bel me op [telefoon verwijderd]', ['telefoon']],
    ['+31 6 1234 5678 of 035 528 1234', '[telefoon verwijderd] of [telefoon verwijderd]', ['telefoon']],
    ['mail: j.de.vries@example.nl', 'mail: [e-mail verwijderd]', ['email']],
    ['rekening NL91 ABNA 0417 1643 00', 'rekening [IBAN verwijderd]', ['iban']],
    ['rekening NL91ABNA0417164300.', 'rekening [IBAN verwijderd].', ['iban']],
    ['Veilig Thuis 0800-2000 en 113', 'Veilig Thuis 0800-2000 en 113', []],
  ];
  for (const [input, expected, kinds] of cases) {
    it(`"${input}" → "${expected}"`, () => {
      const result = redact(input);
      expect(result.text).to.equal(expected);
      expect(result.found).to.have.members(kinds);
    });
  }

  it('checks the IBAN checksum', () => {
    expect(isValidIban('NL91ABNA0417164300')).to.equal(true);
    expect(isValidIban('NL92ABNA0417164300')).to.equal(false);
  });

  it('redacts every string in nested data', () => {
    const out = redactDeep({ a: ['bsn 111222333'], b: { c: 'x@y.nl' }, n: 3 });
    expect(out).to.deep.equal({ a: ['bsn [BSN verwijderd]'], b: { c: '[e-mail verwijderd]' }, n: 3 });
  });

  it('leaves published contacts alone (an organisation\'s phone and e-mail), not a format example or anyone else\'s', () => {
    allowPublicContacts(['Bel het Steunpunt: 035 000 99 17 of mail steunpunt@gemeente-test.example', 'Typ het zo: 06 12345678']);
    expect(redact('bel +31 35 000 99 17 of mail Steunpunt@gemeente-test.example').text).to.equal('bel +31 35 000 99 17 of mail Steunpunt@gemeente-test.example');
    expect(redact('mijn nummer is 06 12345678, of 035 000 99 18').text).to.equal('mijn nummer is [telefoon verwijderd], of [telefoon verwijderd]');
    expect(redact('mail jan@gemeente-test.example').text).to.equal('mail [e-mail verwijderd]');
  });
});
