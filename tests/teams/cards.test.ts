import { expect } from 'chai';
import { plainText, waitingText } from '../../bot/teams/cards.js';

describe('Teams cards: text from others', () => {
  it('escapes Adaptive Card markdown, so a typed link, image, list or heading shows as typed', () => {
    expect(plainText('[klik](https://x.example) ![](https://x.example/a.png)')).to.equal('\\[klik\\]\\(https://x\\.example\\) \\!\\[\\]\\(https://x\\.example/a\\.png\\)');
    expect(plainText('# Kop\n- punt\n1. een')).to.equal('\\# Kop\n\\- punt\n1\\. een');
  });

  it('drops control and bidirectional-override characters but keeps line breaks', () => {
    expect(plainText('a\u0007b\u202Ec\u200Bd\ne')).to.equal('abcd\ne');
  });
});

describe('Teams cards: waiting time', () => {
  it('says how long and since when (Dutch time), so a card looked at later is still right', () => {
    expect(waitingText('2026-11-30T09:00:00.000Z', new Date('2026-11-30T09:00:30.000Z'))).to.equal('net binnen (sinds 10:00)');
    expect(waitingText('2026-11-30T09:00:00.000Z', new Date('2026-11-30T09:12:00.000Z'))).to.equal('12 min (sinds 10:00)');
    expect(waitingText('2026-07-01T09:00:00.000Z', new Date('2026-07-01T10:05:00.000Z'))).to.equal('1 uur 5 min (sinds 11:00)');
  });
});
