/**
 * QA round for issue 9: conversations written as residents would write them (our own, not the
 * evaluation set's), played through the real bot with the dialog harness. Each has the answer a
 * resident needs on its main (last) turn as a few needles; the transcript goes to
 * knowledge/eval/qa/ for a person to read and judge.
 *
 *   npx tsx tests/dialogs/qaRound.ts [OUT.md]
 *
 * useful: the main turn holds every needle and nothing said it did not understand;
 * partly: the main turn holds some needles; not: none. Dead end: a turn that says it does not
 * understand without a button or a phone number.
 */
import { writeFileSync } from 'node:fs';
import { Chat, readable, type Reply } from './harness.js';

interface QaConversation {
  gemeente?: string;
  says: string[];
  /** Each entry: any of these strings, in the last turn. */
  needs: string[][];
}

const QA: QaConversation[] = [
  { gemeente: 'GM0406', says: ['goeiemiddag, mijn vrouw is gevallen en kan niet meer stofzuigen, wat nu'], needs: [['Sinds wanneer']] },
  { gemeente: 'GM0406', says: ['Hulp in het huishouden', 'boodschappen', 'een paar maanden', 'weet ik niet', 'alleen', 'niks geregeld'], needs: [['Boodschappendienst'], ['035 000 11 97']] },
  { gemeente: 'GM0402', says: ['ik zorg al jaren voor mijn broer met ms', 'Ja, graag', 'mijn broer', 'ongeveer 16 uur'], needs: [['Hoe zwaar']] },
  { gemeente: 'GM1942', says: ['wat is respijtzorg eigenlijk', 'en wat kost dat dan?'], needs: [['Wlz', 'pgb']] },
  { gemeente: 'GM0376', says: ['krijg ik als mantelzorger een bedankje van de gemeente?'], needs: [['Blaricum']] },
  { gemeente: 'GM0417', says: ['mijn schoonmoeder van 92 moet naar een verpleeghuis, hoe gaat dat'], needs: [['CIZ'], ['Wlz']] },
  { gemeente: 'GM0317', says: ['onze dochter van 6 heeft het syndroom van down, wij willen af en toe een weekendje rust'], needs: [['Jeugdwet', 'jeugdhulp']] },
  { gemeente: 'GM1696', says: ['na mijn knieoperatie kan ik me niet zelf aankleden, wie helpt daarbij'], needs: [['wijkverpleg'], ['zorgverzekering']] },
  { gemeente: 'GM0406', says: ['ik ben ontslagen en mijn uitkering stopt, kan ik bijstand krijgen'], needs: [['Participatiewet']] },
  { gemeente: 'GM0402', says: ['wat moet ik betalen voor een rolstoel'], needs: [['kostprijs', 'rolstoel']] },
  { gemeente: 'GM0406', says: ['hoeveel is de eigen bijdrage', 'en in 2024?'], needs: [['€20,60']] },
  { gemeente: 'GM1942', says: ['ik ben boos, mijn traplift is afgewezen', 'hoe lang heb ik daarvoor?'], needs: [['6 weken']] },
  { gemeente: 'GM0406', says: ['Een melding doen', 'mijn man kan door zijn beroerte niet meer traplopen en we wonen boven', 'niets', 'Met mijn partner', 'Snel, binnen een paar dagen', 'Ja, stuur de melding', 'E-mail', 'henk@voorbeeld.nl'], needs: [['WMO-2026-']] },
  { gemeente: 'GM0406', says: ['Een melding doen', 'Vervoer', 'wie kan mij helpen met het invullen?'], needs: [['cliëntondersteun', 'clientondersteun']] },
  { gemeente: 'GM0402', says: ['mijn vriend slaat mij en ik weet niet waar ik vannacht heen moet'], needs: [['0800-2000'], ['035 000 12 28']] },
  { gemeente: 'GM0406', says: ['ik heb er geen zin meer in, het leven heeft geen zin'], needs: [['113']] },
  { gemeente: 'GM0406', says: ['Mantelzorg', 'ik wil eigenlijk dood', 'oke', 'Verder met mantelzorg'], needs: [['Voor wie zorgt u']] },
  { gemeente: 'GM1696', says: ['de meneer boven ons heeft al een week de post niet gepakt en doet niet open'], needs: [['112']] },
  { gemeente: 'GM0417', says: ['mijn buurvrouw wordt door haar zoon uitgescholden en ze heeft blauwe plekken'], needs: [['0800-2000']] },
  { gemeente: 'GM0406', says: ['Vrijwilligerswerk', 'Ik wil vrijwilliger worden', 'Kantoorwerk of organiseren', 'Een of twee uur per week'], needs: [['Vrijwilligerscentrale', 'vrijwilligerscentrale']] },
  { gemeente: 'GM1942', says: ['hoeveel mag een vrijwilliger van 18 verdienen zonder belasting'], needs: [['€3,30']] },
  { gemeente: 'GM0402', says: ['Mantelzorg', 'Mijn vader of moeder', 'zo n 25 uur', 'Te zwaar', 'Ja, graag'], needs: [['035 000 11']] },
  { gemeente: 'GM0406', says: ['kan iemand mijn boodschappen doen, ik ben slecht ter been'], needs: [['boodschap', 'Boodschap']] },
  { gemeente: 'GM0317', says: ['wanneer is het wmo loket open'], needs: [['Wmo-loket gemeente Eemnes']] },
  { gemeente: 'GM0406', says: ['hoe staat het met mijn aanvraag van vorige maand'], needs: [['035 000 04 06']] },
  { says: ['ik woon in naarden, waar is het steunpunt mantelzorg'], needs: [['Steunpunt Mantelzorg']] },
  { gemeente: 'GM0406', says: ['Hulp in het huishouden', 'Schoonmaken', 'kost dat veel?', 'Een paar weken'], needs: [['Is het tijdelijk']] },
  { gemeente: 'GM0406', says: ['wat is een pgb', 'hoe wordt dat uitbetaald?'], needs: [['SVB']] },
  { gemeente: 'GM1942', says: ['hoeveel weken heeft de gemeente voor het keukentafelgesprek'], needs: [['6 weken']] },
  { gemeente: 'GM0402', says: ['ik ben zo alleen sinds mijn man er niet meer is'], needs: [['Luisterlijn']] },
  { gemeente: 'GM0406', says: ['Can I get help with cleaning?'], needs: [['English']] },
  { gemeente: 'GM0406', says: ['mijn moeder heeft alzheimer en kan niet meer alleen thuis blijven, ze moet de hele dag in de gaten gehouden worden'], needs: [['CIZ']] },
  { gemeente: 'GM1696', says: ['is er een klussendienst in loosdrecht'], needs: [['klus', 'Klus']] },
  { gemeente: 'GM0406', says: ['mn zoon van 12 heeft adhd, school loopt vast, waar kunnen we heen'], needs: [['Jeugdwet', 'jeugdteam']] },
  // Second round (local needs, costs, questions after a story, contacts as a card): every municipality.
  { gemeente: 'GM1696', says: ['wie brengt mij boodschappen, ik kom de deur bijna niet meer uit?'], needs: [['Boodschappendienst Wijdemeren'], ['035 000 12 00']] },
  { gemeente: 'GM0417', says: ['zijn er mensen die voor mij kunnen koken of eten brengen?'], needs: [['Maaltijd aan huis'], ['035 000 11 94']] },
  { gemeente: 'GM0406', says: ['wie kan bij mij een beugel in de badkamer vastschroeven?'], needs: [['Klussendienst Huizen'], ['035 000 12 22']] },
  { gemeente: 'GM0317', says: ['ik moet naar het ziekenhuis maar heb geen vervoer, is er een chauffeur?'], needs: [['035 000 12 13']] },
  { gemeente: 'GM1942', says: ['mijn moeder woont bij ons in, wat geeft de gemeente aan mantelzorgers?'], needs: [['Gooise Meren bedankt mantelzorgers'], ['voorbij']] },
  { gemeente: 'GM0402', says: ['ik zorg voor mijn vrouw met parkinson, bij wie kan ik eens mijn verhaal kwijt?'], needs: [['Steunpunt Mantelzorg Hilversum'], ['035 000 11 48']] },
  { says: ['ik zorg voor mijn buurman, krijg ik daar iets voor?', 'Laren'], needs: [['Laren bedankt mantelzorgers']] },
  { says: ['wie kan mij helpen met kleine klusjes in huis?', 'Hilversum'], needs: [['Klussendienst Hilversum'], ['035 000 12 23']] },
  { gemeente: 'GM0376', says: ['wie doet de boodschappen voor mijn oma?'], needs: [['035 000 03 76', 'Wmo-loket']] },
  { gemeente: 'GM0402', says: ['hoeveel moet ik zelf bijdragen voor begeleiding?'], needs: [['€21,80']] },
  { gemeente: 'GM1942', says: ['mijn man kan sinds zijn val niet meer douchen en we moeten de badkamer aanpassen. wat gaat ons dat kosten?'], needs: [['€21,80', 'kostprijs']] },
  { gemeente: 'GM0406', says: ['de gemeente is bij ons geweest voor het gesprek, hoe lang duurt het nog tot het besluit?'], needs: [['2 weken', 'twee weken']] },
  { gemeente: 'GM0417', says: ['vergoedt de gemeente mijn verhuizing naar een benedenwoning?'], needs: [['Laren geeft geen aparte verhuiskostenvergoeding']] },
  { gemeente: 'GM1696', says: ['Mantelzorg', 'Mijn vader of moeder', 'Minder dan 8 uur', 'Het gaat goed', 'Werk en zorg'], needs: [['035 000 11 51']] },
  { gemeente: 'GM0406', says: ['Vrijwilligerswerk', 'Ik wil vrijwilliger worden', 'Praktisch: klussen of rijden', 'Een ochtend of middag'], needs: [['Rijdende Buren Huizen', 'Klussendienst Huizen']] },
  { gemeente: 'GM0402', says: ['Mantelzorg', 'Mijn partner', 'wordt dat eigenlijk betaald?'], needs: [['Hilversum bedankt mantelzorgers'], ['Hoeveel uur']] },
  { gemeente: 'GM0406', says: ['ik wil een rolstoel aanvragen', 'hoe lang duurt dat?'], needs: [['6 weken']] },
  { gemeente: 'GM0317', says: ['is er een maaltijdservice in eemnes?'], needs: [['Maaltijd aan huis', 'Wmo-loket']] },
];

const NOT_UNDERSTOOD = /begrijp ik (helaas )?niet|weet niet zeker wat u bedoelt/i;

/** What a resident reads (text and cards) and the buttons. */
function textOf(replies: Reply[]): string {
  return replies.map((r) => [readable(r), ...(r.suggestedActions?.actions ?? []).map((a) => `[${a.title}]`)].join(' ')).join('\n');
}

async function main(): Promise<void> {
  const out: string[] = ['# QA round, issue 9 (our own conversations, real bot, dialog harness)', ''];
  const counts = { useful: 0, partly: 0, not: 0, deadEnds: 0 };
  for (const [i, qa] of QA.entries()) {
    const chat = await Chat.start({ gemeente: qa.gemeente });
    out.push(`## ${i + 1}. ${qa.gemeente ?? 'geen gemeente'}`);
    let lastReplies: Reply[] = [];
    for (const say of qa.says) {
      lastReplies = await chat.say(say);
      out.push(`> ${say}`);
      for (const r of lastReplies) out.push(`- ${readable(r).replace(/\n+/g, ' / ')}${r.suggestedActions ? `  [${r.suggestedActions.actions.map((a) => a.title).join(' | ')}]` : ''}`);
      const text = textOf(lastReplies);
      if (NOT_UNDERSTOOD.test(text) && !/\[/.test(text) && !/\d{3} \d{3}/.test(text)) counts.deadEnds++;
    }
    const text = textOf(lastReplies);
    const held = qa.needs.filter((any) => any.some((n) => text.includes(n))).length;
    const verdict = held === qa.needs.length && !NOT_UNDERSTOOD.test(text) ? 'useful' : held > 0 ? 'partly' : 'not';
    counts[verdict]++;
    out.push('', `**${verdict}** (needs: ${qa.needs.map((n) => n.join(' / ')).join('; ')})`, '');
  }
  const n = QA.length;
  const pct = (x: number) => `${((100 * x) / n).toFixed(1)}%`;
  const summary = `Conversations: ${n}   useful ${pct(counts.useful)} (${counts.useful})   partly ${pct(counts.partly)} (${counts.partly})   not ${pct(counts.not)} (${counts.not})   dead ends: ${counts.deadEnds}`;
  out.splice(2, 0, summary, '');
  writeFileSync(process.argv[2] ?? 'knowledge/eval/qa/qa-round.md', `${out.join('\n')}\n`);
  console.log(summary);
}

await main();
