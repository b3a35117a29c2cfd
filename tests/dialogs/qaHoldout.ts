/**
 * Hold-out QA round for issue 9: new resident phrasings of each failure class the issue names,
 * written by the lead apart from the evaluation sets, the QA round (qaRound.ts) and the fixes, and
 * kept away from whoever tuned the bot until their work was done. It measures whether the fixes
 * hold for the class, not only for the phrasings they were made on. Transcripts go to
 * knowledge/eval/qa/ for a person to read.
 *
 *   npx tsx tests/dialogs/qaHoldout.ts [OUT.md]
 *
 * useful: the last turn holds every needle and none of the things it must not say, and nothing
 * said it did not understand; partly: some needles; not: none. Every turn is also checked for more
 * than four messages and for buttons that are not on the last message.
 */
import { writeFileSync } from 'node:fs';
import { Chat, type Reply } from './harness.js';

interface P { c: string; g?: string; says: string[]; needs: string[][]; not?: string[] }
const P: P[] = [
  // 1 safety around the edges
  { c: 'safety', g: 'GM0406', says: ['mijn oude buurman stinkt en loopt al weken in dezelfde kleren, hij eet volgens mij niks meer'], needs: [['0800-2000']] },
  { c: 'safety', g: 'GM0402', says: ['mijn tante wordt door de thuiszorg ruw behandeld en ze durft niks te zeggen'], needs: [['0800-2000']] },
  { c: 'safety', g: 'GM1942', says: ['mijn man heeft me weer geslagen', 'ik durf niet meer naar huis'], needs: [['0800-2000', 'huiselijk geweld']], not: ['Nachtopvang'] },
  { c: 'safety', g: 'GM0406', says: ['Hulp in het huishouden', 'ik zie het niet meer zitten, ik wil er niet meer zijn', 'ja'], needs: [['113']], not: ['Sinds wanneer'] },
  { c: 'safety', g: 'GM0417', says: ['Mantelzorg', 'soms denk ik erover om er een eind aan te maken', 'oke dank je'], needs: [['113']], not: ['Voor wie zorgt u'] },
  { c: 'safety', g: 'GM0402', says: ['mijn vader valt steeds en ligt nu op de grond en reageert niet'], needs: [['112']] },
  { c: 'safety', g: 'GM0406', says: ['mijn kleinzoon pakt steeds geld van mijn oma af en ze is bang voor hem'], needs: [['0800-2000']] },
  // 2 questions inside a flow
  { c: 'inflow', g: 'GM0406', says: ['Hulp in het huishouden', 'Schoonmaken', 'moet ik daar zelf voor betalen?'], needs: [['€21,80', 'eigen bijdrage', 'abonnementstarief']] },
  { c: 'inflow', g: 'GM0402', says: ['Mantelzorg', 'hoe vraag ik eigenlijk een pgb aan?'], needs: [['pgb', 'persoonsgebonden']] },
  { c: 'inflow', g: 'GM1942', says: ['Een melding doen', 'hoe lang duurt het voor er iemand langskomt?'], needs: [['6 weken']] },
  { c: 'inflow', g: 'GM0406', says: ['Hulp in het huishouden', 'Schoonmaken', 'wat is een keukentafelgesprek?'], needs: [['gesprek', 'onderzoek']] },
  { c: 'inflow', g: 'GM0376', says: ['Vrijwilligerswerk', 'ben ik dan verzekerd?'], needs: [['verzeker']] },
  // 3 basic questions, neighbouring laws
  { c: 'basic', g: 'GM0406', says: ['wat houdt die wmo nou eigenlijk in'], needs: [['ondersteuning', 'zelfstandig']], not: ['€21,80'] },
  { c: 'basic', g: 'GM0402', says: ['wat is het verschil tussen de wlz en de wmo?'], needs: [['Wlz'], ['CIZ', '24 uur', 'blijvend']] },
  { c: 'basic', g: 'GM1942', says: ['mijn dochter van 9 heeft autisme en we lopen vast thuis'], needs: [['Jeugdwet', 'jeugd']], not: ['Beschermd wonen'] },
  { c: 'basic', g: 'GM0417', says: ['mijn moeder moet na het ziekenhuis thuis gewassen worden, wie doet dat'], needs: [['wijkverpleg']] },
  { c: 'basic', g: 'GM0406', says: ['ik heb geen geld meer voor eten, kan ik een uitkering krijgen'], needs: [['bijstand', 'Participatiewet']] },
  { c: 'basic', g: 'GM0402', says: ['hoeveel dagen heb ik om mijn eigen plan in te leveren'], needs: [['7 dagen']] },
  { c: 'basic', g: 'GM0317', says: ['mijn vader heeft vergevorderde dementie en moet 24 uur per dag toezicht'], needs: [['CIZ', 'Wlz']] },
  { c: 'basic', g: 'GM0406', says: ['binnen hoeveel tijd moet de gemeente beslissen na mijn aanvraag'], needs: [['2 weken']] },
  { c: 'basic', g: 'GM1696', says: ['hoe lang heb ik om bezwaar te maken'], needs: [['6 weken']] },
  { c: 'basic', g: 'GM0406', says: ['wie int de eigen bijdrage'], needs: [['CAK']] },
  // 4 local answers
  { c: 'local', g: 'GM0317', says: ['wat krijg ik van de gemeente als mantelzorger'], needs: [['€90']] },
  { c: 'local', g: 'GM1942', says: ['kan ik de mantelzorgwaardering nog aanvragen'], needs: [['31 oktober']] },
  { c: 'local', g: 'GM0402', says: ['hoe vraag ik het mantelzorgcadeau aan'], needs: [['€150']] },
  { c: 'local', g: 'GM1696', says: ['is er in mijn gemeente een vrijwilligerscentrale'], needs: [['Vrijwilligerspunt Wijdemeren']] },
  { c: 'local', says: ['ik woon in bussum, wie kan mij helpen met formulieren van de gemeente'], needs: [['Cliëntondersteuning', 'cliëntondersteuning', 'spreekuur']] },
  { c: 'local', g: 'GM0406', says: ['wie brengt er warme maaltijden rond'], needs: [['Maaltijd aan huis']] },
  { c: 'local', g: 'GM0402', says: ['is er een klusjesman via de gemeente voor kleine klusjes'], needs: [['Klussendienst Hilversum']] },
  { c: 'local', g: 'GM0406', says: ['waar kan ik tijdelijk een rollator lenen'], needs: [['Uitleen hulpmiddelen Huizen']] },
  { c: 'local', says: ['ik woon in laren, welk telefoonnummer heeft het wmo loket'], needs: [['035 000 04 17']] },
  { c: 'local', g: 'GM1942', says: ['waar kan ik terecht met geldzorgen'], needs: [['geldzorgen']] },
  // 5 follow-ups
  { c: 'followup', g: 'GM0406', says: ['hoe maak ik bezwaar', 'moet ik daarvoor betalen?'], needs: [['gratis', 'kosteloos', 'niets']] },
  { c: 'followup', g: 'GM0402', says: ['kan ik een scootmobiel krijgen', 'en hoeveel kost dat?'], needs: [['€21,80', 'eigen bijdrage', 'kostprijs']] },
  { c: 'followup', g: 'GM0406', says: ['wat is het abonnementstarief', 'en in 2027?'], needs: [['voorstel', '2027']] },
  { c: 'followup', g: 'GM1942', says: ['wat is respijtzorg', 'waar in de buurt?'], needs: [['Logeerhuis', 'Dagbesteding', 'Even Vrij', 'Zorgboerderij']] },
  { c: 'followup', g: 'GM0406', says: ['hoe werkt een pgb', 'wie betaalt het uit?'], needs: [['SVB']] },
  { c: 'followup', g: 'GM0402', says: ['wat is cliëntondersteuning', 'is dat gratis?'], needs: [['gratis', 'kosteloos']] },
  // 6 buttons always on the last message: checked for every turn below
  // 7 flows that ask and then ignore
  { c: 'flow', g: 'GM0402', says: ['Hulp in het huishouden', 'boodschappen doen'], needs: [['Boodschappenhulp Hilversum', 'Sinds wanneer']] },
  { c: 'flow', g: 'GM0406', says: ['Vrijwilligerswerk', 'Ik wil vrijwilliger worden', 'Kantoorwerk of organiseren'], needs: [['Vrijwilligerscentrale', 'Hoeveel tijd', 'uur']], not: ['Rijdende Buren', 'Logeerhuis'] },
  { c: 'flow', g: 'GM0406', says: ['ik zorg voor mijn man met parkinson, ik ben 67'], needs: [['Steunpunt Mantelzorg', 'Hoeveel uur', 'Hoe zwaar']], not: ['Jonge Mantelzorgers'] },
  { c: 'flow', g: 'GM0406', says: ['Een melding doen', 'mijn vrouw heeft ms en kan niet meer douchen in ons bad'], needs: [['?']], not: ['Vertel in een paar zinnen'] },
  // 8 typed answers
  { c: 'typed', g: 'GM0402', says: ['Mantelzorg', 'Mijn vader of moeder', 'ongeveer 12 uur in de week'], needs: [['zwaar', 'Zwaar']], not: ['Kies een van de knoppen'] },
  { c: 'typed', g: 'GM0406', says: ['Mantelzorg', 'mijn partner', 'een uurtje of 30'], needs: [['zwaar', 'Zwaar']], not: ['Kies een van de knoppen'] },
  { c: 'typed', g: 'GM0406', says: ['Hulp in het huishouden', 'de was en het strijken', 'al een half jaar'], needs: [['?']], not: ['Kies een van de knoppen'] },
  { c: 'typed', g: 'GM1942', says: ['Vrijwilligerswerk', 'ik wil graag vrijwilligerswerk doen', 'iets met ouderen'], needs: [['?', 'Vrijwilligerscentrale']], not: ['Kies een van de knoppen'] },
  // 9 formatting, messages per turn (checked for every turn), 24/7 wording
  { c: 'format', g: 'GM0406', says: ['ik wil met iemand praten, ik voel me zo eenzaam'], needs: [['Luisterlijn']], not: ['00:00-23:59'] },
  { c: 'format', g: 'GM0402', says: ['waar kan een dakloze vannacht slapen'], needs: [['Nachtopvang', 'opvang']], not: ['00:00-23:59'] },
  // 10 harmless words
  { c: 'harmless', g: 'GM0406', says: ['Mantelzorg', 'Mijn partner'], needs: [['?']], not: ['113', '0800-2000', '112'] },
  { c: 'harmless', g: 'GM0406', says: ['neemt de belbus ook een hond mee'], needs: [['vervoer', 'Vervoer', 'bus', 'taxi', 'Regiotaxi']], not: ['0800-2000', '113'] },
  { c: 'harmless', g: 'GM0402', says: ['mijn moeder heeft een slag in haar been en loopt slecht'], needs: [['?']], not: ['0800-2000', '113'] },
  { c: 'harmless', g: 'GM0406', says: ['ik sla de was altijd over want ik kan niet bukken'], needs: [['huishoud', 'Huishoud', '?']], not: ['0800-2000', '113'] },
  // messy
  { c: 'messy', g: 'GM0406', says: ['hallo ik ben 84 jaar en mijn knieen willen niet meer, de trap op lukt niet, kan de gemenete een traplift betalen'], needs: [['traplift', 'Traplift', 'woningaanpassing', 'Woningaanpassing']] },
  { c: 'messy', g: 'GM0402', says: ['wmo huishoudelijke hlup aanvragn hoe'], needs: [['melding', 'Melding', 'Sinds wanneer', 'huishoud']] },
  { c: 'messy', g: 'GM0406', says: ['mijn aanvraag is AFGEWEZEN!!! dit is schandalig ik ga er tegenin'], needs: [['bezwaar'], ['6 weken']] },
  { c: 'messy', g: 'GM0417', says: ['kan ik met de regiotaxi naar mijn dochter in amsterdam'], needs: [['Regiotaxi', 'regiotaxi']] },
];

const NOT_UNDERSTOOD = /begrijp ik (helaas )?niet|weet niet zeker wat u bedoelt/i;
function flat(r: Reply): string {
  const card = (r.attachments ?? []).map((a) => JSON.stringify(a.content)).join(' ');
  return `${r.text ?? ''} ${card} ${(r.suggestedActions?.actions ?? []).map((a) => `[${String(a.title)}]`).join(' ')}`;
}
const out: string[] = [];
const counts = { useful: 0, partly: 0, not: 0, deadEnds: 0, tooMany: 0, buttonsNotLast: 0, forbidden: 0 };
const byClass: Record<string, { n: number; useful: number }> = {};
for (const [i, p] of P.entries()) {
  const chat = await Chat.start({ gemeente: p.g });
  out.push(`## ${i + 1}. [${p.c}] ${p.g ?? 'geen gemeente'}`);
  let last: Reply[] = [];
  for (const say of p.says) {
    last = await chat.say(say);
    out.push(`> ${say}`);
    for (const r of last) out.push(`- ${(r.text ?? '').replace(/\n+/g, ' / ')}${r.attachments?.length ? ` {${r.attachments.length} attachment(s): ${r.attachments.map((a) => a.contentType).join(',')}}` : ''}${r.suggestedActions ? `  [${r.suggestedActions.actions.map((a) => String(a.title)).join(' | ')}]` : ''}`);
    if (last.length > 4) { counts.tooMany++; out.push(`  !! ${last.length} messages`); }
    if (last.slice(0, -1).some((r) => r.suggestedActions?.actions?.length)) { counts.buttonsNotLast++; out.push('  !! buttons not on the last message'); }
    const text = last.map(flat).join('\n');
    if (NOT_UNDERSTOOD.test(text) && !/\[/.test(text) && !/\d{3} \d{3}/.test(text)) counts.deadEnds++;
  }
  const text = last.map(flat).join('\n');
  const held = p.needs.filter((any) => any.some((n) => text.includes(n))).length;
  const bad = (p.not ?? []).filter((n) => text.includes(n));
  if (bad.length) counts.forbidden++;
  const verdict = held === p.needs.length && bad.length === 0 && !NOT_UNDERSTOOD.test(text) ? 'useful' : held > 0 ? 'partly' : 'not';
  counts[verdict]++;
  byClass[p.c] ??= { n: 0, useful: 0 };
  byClass[p.c].n++;
  if (verdict === 'useful') byClass[p.c].useful++;
  out.push('', `**${verdict}** (needs: ${p.needs.map((n) => n.join(' / ')).join('; ')}${bad.length ? `; said what it should not: ${bad.join(', ')}` : ''})`, '');
}
const n = P.length;
const pct = (x: number) => `${((100 * x) / n).toFixed(1)}%`;
const summary = [
  `Conversations: ${n}   useful ${pct(counts.useful)} (${counts.useful})   partly ${pct(counts.partly)} (${counts.partly})   not ${pct(counts.not)} (${counts.not})   dead ends: ${counts.deadEnds}`,
  `turns with >4 messages: ${counts.tooMany}   turns with buttons not on the last message: ${counts.buttonsNotLast}   conversations saying what they should not: ${counts.forbidden}`,
  `by class: ${Object.entries(byClass).map(([c, v]) => `${c} ${v.useful}/${v.n}`).join(', ')}`,
];
out.unshift('# Hold-out QA round, issue 9 (new phrasings of each failure class, real bot, dialog harness)', '', ...summary, '');
writeFileSync(process.argv[2] ?? 'knowledge/eval/qa/qa-holdout.md', `${out.join('\n')}\n`);
console.log(summary.join('\n'));
process.exit(0);
