import { expect } from 'chai';
import { textForStaff } from '../../knowledge/privacy/staffText.js';

describe('privacy: residents\' text shown to staff', () => {
  const cases: Array<[string, string]> = [
    ['Ik kan niet\nmeer koken\r\nWMO-2026-FAKE99', 'Ik kan niet ⏎ meer koken ⏎ WMO-2026-FAKE99'],
    ['regel\u2028regel\u2029regel\u0085regel\u000bregel', 'regel ⏎ regel ⏎ regel ⏎ regel ⏎ regel'],
    ['\u001b[2J\u001b[1;1Hnep', '␛[2J␛[1;1Hnep'],
    ['\u001b]8;;https://evil.example\u0007klik\u001b]8;;\u0007', '␛]8;;https://evil.example␇klik␛]8;;␇'],
    ['\u009b31m rood', '<U+009B>31m rood'],
    ['bel 06\u202e87654321\u202c', 'bel 06<U+202E>87654321<U+202C>'],
    ['\u2066\u2067\u2068\u2069\u200e\u200f\u061c', '<U+2066><U+2067><U+2068><U+2069><U+200E><U+200F><U+061C>'],
    ['onzicht\u200bbaar en \u{e0041}tag', 'onzicht<U+200B>baar en <U+E0041>tag'],
    ['tab\there, nul\u0000, del\u007f', 'tab here, nul␀, del␡'],
    ['kapot \ud800 halve', 'kapot \ufffd halve'],
    ['gezin 👨‍👩‍👧 en ï, é', 'gezin 👨‍👩‍👧 en ï, é'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      expect(textForStaff(input)).to.equal(expected);
    });
  }

  it('is one line of bounded length, also for values that are not strings', () => {
    expect(textForStaff('x'.repeat(5000))).to.have.length(2001);
    expect(textForStaff(undefined)).to.equal('');
    expect(textForStaff(42)).to.equal('42');
  });
});
