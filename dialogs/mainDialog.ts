/**
 * The router dialog. For every message, in this order:
 *   1. safety: a danger signal interrupts anything, right number first, then a person is offered;
 *      the running flow keeps its place.
 *   2. privacy: a typed BSN is named and not kept (state is redacted on write).
 *   3. global words: stop, opnieuw, terug, help, medewerker, in every flow.
 *   4. an open offer from the previous turn ("Bedoelt u…?", "Wilt u eerst…?", menu buttons).
 *   5. in a flow: the answer goes to the flow, unless it is clearly a new question on another
 *      topic; then "Wilt u eerst … ?".
 *   6. otherwise understanding: high → answer or start the flow, middle → "Bedoelt u…?" with the
 *      top three, low → say so honestly, offer rephrasing, the loket and a person.
 * Every reply carries the wmoTopic entity (replies.ts); the turn's topic is set here.
 */
import { MessageFactory, type CardAction, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogReason,
  DialogSet,
  DialogTurnStatus,
  type DialogContext,
  type DialogState,
  type DialogTurnResult,
  type WaterfallDialog,
} from 'botbuilder-dialogs';
import { redact } from '../knowledge/privacy/redact.js';
import type { TopicId } from '../knowledge/topics.js';
import { ANSWER_DIALOG, AnswerDialog, capitalize, type AnswerOptions } from './answers.js';
import { normalizeAnswer, recognizeChoice, type ChoiceLike } from './choices.js';
import { fill, type ContentChoice, type GlobalWord } from './content.js';
import { CHOICE_PROMPT, FlowDialog, STORY_PROMPT, isPromptId, type ConversationData, type FlowDeps, type FlowResult, type Pending } from './flows/flowBase.js';
import { HUISHOUDELIJKE_HULP_DIALOG, HuishoudelijkeHulpDialog } from './flows/huishoudelijkeHulpDialog.js';
import { MANTELZORG_DIALOG, MantelzorgDialog } from './flows/mantelzorgDialog.js';
import { MEDEWERKER_DIALOG, MedewerkerDialog } from './flows/medewerkerDialog.js';
import { MELDING_DIALOG, MeldingDialog, type MeldingOptions } from './flows/meldingDialog.js';
import { VRIJWILLIGERSWERK_DIALOG, VrijwilligerswerkDialog } from './flows/vrijwilligerswerkDialog.js';
import type { RouterView, SafetySignal, Understanding } from './ports.js';
import { addPreface, citationsFromSources, citedMessage, setReplyTopic } from './replies.js';
import { findServices, formatContact, serviceContact } from './socialeKaart.js';
import type { UnansweredStore } from './unanswered.js';
import { findMunicipalityInText } from '../knowledge/places.js';
import type { Municipality } from '../knowledge/types.js';
import { Signals, youngCarerAge } from './signals.js';

export const MAIN_DIALOG = 'wmo-hoofd';

export interface MainDeps extends FlowDeps {
  router: RouterView;
  unanswered: UnansweredStore;
}

/** Topics with their own guided flow; the rest get an answer from the knowledge base. */
const FLOW_FOR: Partial<Record<TopicId, string>> = {
  'huishoudelijke-hulp': HUISHOUDELIJKE_HULP_DIALOG,
  mantelzorg: MANTELZORG_DIALOG,
  vrijwilligerswerk: VRIJWILLIGERSWERK_DIALOG,
  'wmo-melding': MELDING_DIALOG,
  medewerker: MEDEWERKER_DIALOG,
};

/** Topics that are never offered as "Wilt u eerst…?" in the middle of a flow. */
const NOT_A_SWITCH: TopicId[] = ['groet', 'buiten-bereik', 'veiligheid', 'medewerker'];

/**
 * A short question that points back ("wat kost dat?") is about what the running flow is about:
 * search with the flow's subject added, so it finds the costs of huishoudelijke hulp.
 */
export function inFlowContext(question: string, flowTitle: string): string {
  const pointsBack = /\b(dat|dit|het|die|daar\w*|er\w*)\b/i.test(question) && question.split(/\s+/).length <= 6;
  return pointsBack ? `${question} ${flowTitle}` : question;
}

export class MainDialog extends ComponentDialog {
  private readonly signals: Signals;

  constructor(private readonly deps: MainDeps) {
    super(MAIN_DIALOG);
    this.signals = new Signals(deps.content.signals);
    this.addDialog(new HuishoudelijkeHulpDialog(deps));
    this.addDialog(new MantelzorgDialog(deps));
    this.addDialog(new VrijwilligerswerkDialog(deps));
    this.addDialog(new MeldingDialog(deps));
    this.addDialog(new MedewerkerDialog(deps));
    this.addDialog(new AnswerDialog(deps));
  }

  /** Run one turn: continue the conversation where it was, or start the router. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
    const set = new DialogSet(dialogState);
    set.add(this);
    const dc = await set.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.onContinueDialog(innerDc);
  }

  /** The router never ends: it always waits for the next message. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    if (innerDc.context.activity.type === 'message') await this.route(innerDc);
    return Dialog.EndOfTurn;
  }

  private async route(dc: DialogContext): Promise<void> {
    const { content, router, conversationData } = this.deps;
    const context = dc.context;
    const text = (context.activity.text ?? '').trim();
    const data = await conversationData.get(context, {});
    const flow = this.activeFlow(dc);
    const u = router.understand(text, { gemeente: data.gemeente });
    setReplyTopic(context, u.topic, u.confidence);

    // 1. Safety first, whatever is going on.
    if (u.safety && this.safetyApplies(dc, text, u.safety)) {
      data.pending = { kind: 'afterSafety', signal: u.safety.matched ? u.safety.kind : 'general' };
      await this.sendSafety(context, u.safety, data.gemeente, flow?.title);
      return;
    }

    // 2. A BSN typed anywhere is not kept (the melding story says so itself, with more detail).
    if (redact(text).found.includes('bsn') && this.openPromptId(dc) !== STORY_PROMPT) {
      addPreface(context, content.general.texts.bsnRemoved);
    }
    const pending = data.pending;
    data.pending = undefined;

    // 3. Global words, unless the text is exactly one of the buttons on screen.
    const word = this.globalWord(text);
    if (word === 'stop' && pending?.kind === 'afterSafety' && !flow) {
      setReplyTopic(context, 'veiligheid', 1);
      await context.sendActivity(content.safety.stopAfterSafety);
      return;
    }
    if (word && !this.isExactChoice(dc, text)) return this.handleGlobal(dc, word);
    if (u.language === 'en') addPreface(context, content.general.english);

    // 4. An offer from the previous turn.
    if (pending && (await this.handlePending(dc, pending, text, u, data))) return;

    // 5. In a flow: answer, or a new question?
    if (flow) {
      if (this.isNewQuestion(dc, text, u, flow.topic)) {
        setReplyTopic(context, u.topic, u.confidence);
        data.pending = { kind: 'switch', topic: u.topic, confidence: u.confidence, text, flowTitle: flow.title };
        await this.offerSwitch(context, u.topic, flow.title);
        return;
      }
      setReplyTopic(context, flow.topic, 1);
      if (this.isContinue(text, flow.title)) {
        // "Verder met …" after an interruption is never an answer: ask the open question again.
        await dc.repromptDialog();
        return;
      }
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.complete) await this.afterFlow(dc, result.result as FlowResult | undefined);
      return;
    }

    // 6. A new question. "Ik woon in Bussum en zoek het wijkteam": remember Gooise Meren, then answer.
    const button = content.general.menu.find((c) => normalizeAnswer(c.label) === normalizeAnswer(text));
    if (button) return this.startTopic(dc, button.id as TopicId, 1, text, true);
    const gemeente = this.mentionedGemeente(text, data);
    if (gemeente && normalizeAnswer(text).split(' ').length <= 5) {
      // Just the name of a municipality: remember it, as if it had been asked.
      data.gemeente = gemeente.code;
      setReplyTopic(context, 'sociale-kaart', 1);
      await this.sendMenu(dc, `${fill(content.general.gemeente.saved, { gemeente: gemeente.name })} ${content.general.texts.closing}`);
      return;
    }
    if (gemeente) data.gemeente = gemeente.code;
    const otherNeed = u.band === 'high' && !['groet', 'buiten-bereik', 'sociale-kaart', 'begeleiding'].includes(u.topic);
    if (this.signals.lonely(text) && otherNeed && !this.signals.grief(text)) {
      // Lonely and a practical need ("… en ik kan mijn huis niet meer schoonmaken"): both count.
      addPreface(context, content.general.texts.lonely);
    } else if (this.signals.lonely(text) || this.signals.grief(text)) {
      // Loneliness or grief is not a Wmo provision, but nobody who says so gets "I do not understand".
      setReplyTopic(context, 'sociale-kaart', 1);
      await context.sendActivity(content.general.texts.lonely);
      const [place] = findServices(this.deps.kb, 'ontmoeting activiteiten maatje samen eten', { gemeente: data.gemeente, limit: 1 });
      if (place) {
        const card = formatContact(serviceContact(this.deps.kb, place, content.general.weekdays, this.deps.now()));
        await context.sendActivity(`${content.answers.localIntro}\n\n${card}`);
      }
      await this.sendMenu(dc, content.general.texts.closing);
      return;
    }
    if (this.signals.aboutOwnCase(text)) {
      // The bot cannot see a file or call back: say so, and give the loket that can.
      setReplyTopic(context, 'medewerker', 1);
      await context.sendActivity(content.general.texts.cannotSeeCase);
      await dc.beginDialog(MEDEWERKER_DIALOG);
      return;
    }
    if (this.signals.acknowledgement(text)) {
      // A bare "ja" or "ok" with nothing open: not a question to puzzle over.
      setReplyTopic(context, 'groet', 1);
      await this.sendMenu(dc, content.general.texts.howCanIHelp);
      return;
    }
    if (this.signals.aboutLoket(text)) {
      // "Wanneer is het loket open?": the loket's own hours and whether it is open now, not a search hit.
      setReplyTopic(context, 'sociale-kaart', 1);
      await dc.beginDialog(MEDEWERKER_DIALOG);
      return;
    }
    if (u.band === 'high') return this.startTopic(dc, u.topic, u.confidence, text);
    if (u.band === 'middle') return this.offerDidYouMean(dc, u, text, data);
    return this.sayLow(dc, u, text, data);
  }

  /* ---- the running flow ---- */

  /** The flow on top of the router's stack, with the topic its replies carry. */
  private activeFlow(dc: DialogContext): { id: string; topic: TopicId; title: string } | undefined {
    const active = dc.activeDialog;
    if (!active) return undefined;
    const dialog = dc.findDialog(active.id);
    if (!(dialog instanceof FlowDialog)) return undefined;
    const options = dc.child?.stack[0]?.state?.options as Partial<AnswerOptions> | undefined; // the flow's own waterfall
    const topic = active.id === ANSWER_DIALOG && options?.topic ? options.topic : dialog.topic;
    return { id: active.id, topic, title: dialog.title };
  }

  /** The deepest dialog context whose active dialog is a prompt. */
  private openPrompt(dc: DialogContext): DialogContext | undefined {
    let found: DialogContext | undefined;
    for (let cur: DialogContext | undefined = dc; cur; cur = cur.child) {
      if (cur.activeDialog && isPromptId(cur.activeDialog.id)) found = cur;
    }
    return found;
  }

  private openPromptId(dc: DialogContext): string | undefined {
    return this.openPrompt(dc)?.activeDialog?.id;
  }

  private openChoices(dc: DialogContext): ChoiceLike[] | undefined {
    const prompt = this.openPrompt(dc);
    if (prompt?.activeDialog?.id !== CHOICE_PROMPT) return undefined;
    const options = prompt.activeDialog.state?.options as { choices?: ChoiceLike[] } | undefined;
    return options?.choices;
  }

  /**
   * A danger phrase interrupts everything, except a button the bot itself offered, pressed as
   * is ("Mijn partner"). The classifier's safety net alone (no phrase matched) interrupts only
   * outside a question: inside one it fires on ordinary answers ("Ik weet niet waar ik moet
   * beginnen"), and alarming a resident who is telling their story does harm too.
   */
  private safetyApplies(dc: DialogContext, text: string, safety: SafetySignal): boolean {
    const promptOpen = this.openPrompt(dc) !== undefined;
    if (!safety.matched && promptOpen) {
      this.deps.logger?.warn({ kind: safety.kind }, 'safety net signal while answering a question: not interrupted');
      return false;
    }
    const choices = this.openChoices(dc) ?? [];
    return !choices.some((c) => normalizeAnswer(c.value) === normalizeAnswer(text));
  }

  private isExactChoice(dc: DialogContext, text: string): boolean {
    const answer = normalizeAnswer(text);
    return (this.openChoices(dc) ?? []).some((c) => [c.value, ...(c.synonyms ?? [])].some((t) => normalizeAnswer(t) === answer));
  }

  /**
   * A question on another topic, and not an answer to the open question. Where buttons are on
   * screen, typed text that matches none of them is a new question from the middle band up when
   * it asks something ("wat kost dat?"); a typed free answer must be a clear (high) question
   * ending in a question mark. The story of a melding is never taken for a new question.
   */
  private isNewQuestion(dc: DialogContext, text: string, u: Understanding, flowTopic: TopicId): boolean {
    if (u.band === 'low' || u.topic === flowTopic || NOT_A_SWITCH.includes(u.topic)) return false;
    const promptId = this.openPromptId(dc);
    if (!promptId || promptId === STORY_PROMPT || promptId.startsWith('contact-')) return false;
    const asks = /\?\s*$/.test(text);
    const choices = this.openChoices(dc);
    if (choices) return recognizeChoice(text, choices, this.deps.content.general.ordinals) === undefined && (u.band === 'high' || asks);
    return u.band === 'high' && asks;
  }

  private async afterFlow(dc: DialogContext, result: FlowResult | undefined): Promise<void> {
    if (result?.next === 'melding') {
      setReplyTopic(dc.context, 'wmo-melding', 1);
      const options: MeldingOptions = { onderwerp: result.topic };
      await dc.beginDialog(MELDING_DIALOG, options);
    } else if (result?.next === 'medewerker') {
      setReplyTopic(dc.context, 'medewerker', 1);
      await dc.beginDialog(MEDEWERKER_DIALOG);
    }
  }

  /* ---- starting a topic ---- */

  private async startTopic(dc: DialogContext, topic: TopicId, confidence: number, text: string, fromButton = false): Promise<void> {
    const { content } = this.deps;
    const context = dc.context;
    setReplyTopic(context, topic, confidence);
    const flowId = FLOW_FOR[topic];
    if (flowId) {
      if (!fromButton && topic === 'mantelzorg' && youngCarerAge(text) !== undefined) return this.answerYoungCarer(dc, flowId);
      if (!fromButton && topic !== 'medewerker' && (await this.answerBeforeFlow(dc, topic, flowId, text))) return;
      await dc.beginDialog(flowId);
      return;
    }
    switch (topic) {
      case 'groet':
        if (this.signals.goodbye(text)) await context.sendActivity(content.general.texts.goodbye);
        else await this.sendMenu(dc, this.signals.thanks(text) ? content.general.texts.thanks : content.general.texts.greeting);
        return;
      case 'buiten-bereik':
        await context.sendActivity(content.general.texts.outOfScope);
        return;
      case 'veiligheid':
        await context.sendActivity(content.safety.general);
        await this.offerPerson(context);
        return;
      default: {
        const options: AnswerOptions = { topic, text: redact(text).text };
        await dc.beginDialog(ANSWER_DIALOG, options);
      }
    }
  }

  /**
   * A question ("wat is een keukentafelgesprek?") or a term ("respijtzorg") on a topic with a guided
   * flow gets its article first, then the offer to go through the flow; a statement of need
   * ("mn moeder kan niet meer schoonmaken") starts the flow at once.
   */
  private async answerBeforeFlow(dc: DialogContext, topic: TopicId, flowId: string, text: string): Promise<boolean> {
    const { kb, content, conversationData } = this.deps;
    const general = content.general;
    const words = normalizeAnswer(text).split(' ').filter(Boolean);
    const ownNames = [general.topicLabels[topic] ?? '', topic.replace(/-/g, ' '), ...general.menu.filter((c) => c.id === topic).map((c) => c.label)];
    const isOwnName = ownNames.some((name) => normalizeAnswer(name) === words.join(' '));
    const isTerm = words.length <= 2 && !isOwnName;
    if (!this.signals.informationQuestion(text) && !isTerm) return false;
    const data = await conversationData.get(dc.context, {});
    const [hit] = kb.search(text, { gemeente: data.gemeente, topic, kinds: ['article'], limit: 1 });
    const article = hit?.why.some((why) => / in (title|keywords)/.test(why)) ? kb.articles.find((a) => a.id === hit.id) : undefined;
    if (!article) return false;
    const body = article.body.split(/\n\s*\n/).slice(0, 3).join('\n\n');
    await dc.context.sendActivity(citedMessage(body, citationsFromSources(article.sources, article.title)));
    const flow = dc.findDialog(flowId) as FlowDialog;
    data.pending = { kind: 'offerFlow', topic };
    const buttons = [imBack(general.flowOffer.yes.label), imBack(general.flowOffer.no.label)];
    await dc.context.sendActivity(MessageFactory.suggestedActions(buttons, fill(general.flowOffer.question, { flow: flow.title })));
    return true;
  }

  /** A young carer ("ik ben 15 en zorg voor mijn moeder") gets their own support first, in plain words. */
  private async answerYoungCarer(dc: DialogContext, flowId: string): Promise<void> {
    const { kb, content, conversationData, now } = this.deps;
    const data = await conversationData.get(dc.context, {});
    await dc.context.sendActivity(content.mantelzorg.texts.jong);
    const [service] = findServices(kb, 'jonge mantelzorgers', { gemeente: data.gemeente, topic: 'mantelzorg', limit: 1 });
    if (service) {
      const card = formatContact(serviceContact(kb, service, content.general.weekdays, now()));
      await dc.context.sendActivity(`${content.answers.localIntro}\n\n${card}`);
    }
    const flow = dc.findDialog(flowId) as FlowDialog;
    data.pending = { kind: 'offerFlow', topic: 'mantelzorg' };
    const general = content.general;
    await dc.context.sendActivity(
      MessageFactory.suggestedActions([imBack(general.flowOffer.yes.label), imBack(general.flowOffer.no.label)], fill(general.flowOffer.question, { flow: flow.title })),
    );
  }

  private menuChoices(): ChoiceLike[] {
    return this.deps.content.general.menu.map((c) => ({ value: c.label, synonyms: c.synonyms }));
  }

  /** A text with the main topics as buttons; typed numbers pick from them on the next turn. */
  async sendMenu(dc: DialogContext | TurnContext, text: string): Promise<void> {
    const context = 'context' in dc ? dc.context : dc;
    const data = await this.deps.conversationData.get(context, {});
    data.pending = { kind: 'menu' };
    await context.sendActivity(MessageFactory.suggestedActions(this.deps.content.general.menu.map((c) => imBack(c.label)), text));
  }

  /* ---- offers that wait for the next turn ---- */

  /** Handles the reply to last turn's offer; false when the text is something else. */
  private async handlePending(dc: DialogContext, pending: Pending, text: string, u: Understanding, data: ConversationData): Promise<boolean> {
    const { content } = this.deps;
    const general = content.general;
    const context = dc.context;
    const flow = this.activeFlow(dc);
    switch (pending.kind) {
      case 'menu': {
        const index = recognizeChoice(text, this.menuChoices(), general.ordinals);
        if (index === undefined || (u.band === 'high' && !this.isMenuLike(text))) return false;
        await this.startTopic(dc, general.menu[index].id as TopicId, 1, text, true);
        return true;
      }
      case 'afterSafety': {
        if (flow && this.isContinue(text, flow.title)) {
          setReplyTopic(context, flow.topic, 1);
          await context.sendActivity(fill(general.texts.resume, { flow: flow.title }));
          await dc.repromptDialog();
          return true;
        }
        if (this.wantsPerson(text)) {
          // The loket may be closed: the numbers that are always there come first.
          setReplyTopic(context, 'medewerker', 1);
          await context.sendActivity(content.safety.dayAndNight);
          await dc.beginDialog(MEDEWERKER_DIALOG);
          return true;
        }
        // A clear new question is answered as usual; anything else gets a warm reply, never "I don't understand".
        if (u.band !== 'low' && !NOT_A_SWITCH.includes(u.topic)) return false;
        setReplyTopic(context, 'veiligheid', 1);
        data.pending = pending;
        const numbers = content.safety[pending.signal === 'dakloos' ? 'dakloosNoService' : pending.signal].split(/\n\s*\n/)[0];
        await context.sendActivity(`${content.safety.stayWithYou}\n\n${numbers}`);
        await context.sendActivity(content.safety.listen);
        await this.offerPerson(context, flow?.title);
        return true;
      }
      case 'offerFlow': {
        let picked = this.pickOffered(text, [general.flowOffer.yes, general.flowOffer.no].map((c) => choiceLike(c, {})), u);
        // "moeder", "na school": the resident is already answering the flow's questions, so go in.
        if (picked === undefined && (u.band === 'low' || u.topic === pending.topic)) picked = 0;
        if (picked === undefined) return false;
        setReplyTopic(context, pending.topic, 1);
        if (picked === 0) await dc.beginDialog(FLOW_FOR[pending.topic] ?? MEDEWERKER_DIALOG);
        else await this.sendMenu(dc, general.texts.closing);
        return true;
      }
      case 'followUps': {
        // A follow-up button under an answer: answer it within the same topic.
        const picked = pending.questions.find((q) => normalizeAnswer(q) === normalizeAnswer(text));
        if (!picked || flow) return false;
        await this.startTopic(dc, pending.topic, 1, picked);
        return true;
      }
      case 'switch': {
        if (!flow) return false;
        const choices = [general.switch.yes, general.switch.no].map((c) => choiceLike(c, { flow: flow.title }));
        const picked = this.pickOffered(text, choices, u);
        if (picked === undefined) return false;
        if (picked === 0) {
          // The new topic goes on top; when it ends, the flow asks its open question again.
          await this.startTopic(dc, pending.topic, pending.confidence, inFlowContext(pending.text, pending.flowTitle));
        } else {
          setReplyTopic(context, flow.topic, 1);
          await context.sendActivity(fill(general.texts.resume, { flow: flow.title }));
          await dc.repromptDialog();
        }
        return true;
      }
      case 'didYouMean': {
        const choices = [
          ...pending.candidates.map((t) => ({ value: capitalize(general.topicLabels[t]) })),
          { value: content.general.bands.noneOfThese, synonyms: ['geen', 'nee', 'niets', 'geen van allen', 'anders'] },
        ];
        const picked = this.pickOffered(text, choices, u);
        if (picked === undefined) return false;
        if (picked < pending.candidates.length) {
          await this.startTopic(dc, pending.candidates[picked], 1, pending.text);
          return true;
        }
        setReplyTopic(context, 'buiten-bereik', 0);
        await this.deps.unanswered.add({ conversationId: context.activity.conversation.id, text: pending.text, reason: 'geen-van-deze', gemeente: data.gemeente, candidates: pending.candidates.map((topic) => ({ topic, confidence: 0 })) });
        data.pending = { kind: 'afterLow' };
        await context.sendActivity(MessageFactory.suggestedActions([imBack(general.bands.rephraseLabel), imBack(general.texts.personLabel)], general.bands.noneReply));
        return true;
      }
      case 'afterLow': {
        if (recognizeChoice(text, [{ value: general.bands.rephraseLabel }], {}) === undefined) return false;
        await context.sendActivity(general.bands.rephraseReply);
        return true;
      }
    }
  }

  /**
   * Which offered button the text picks: the exact label always; a number, synonym or typo only
   * when the text is short or not clearly a new question.
   */
  private pickOffered(text: string, choices: ChoiceLike[], u: Understanding): number | undefined {
    const exact = choices.findIndex((c) => normalizeAnswer(c.value) === normalizeAnswer(text));
    if (exact >= 0) return exact;
    const picked = recognizeChoice(text, choices, this.deps.content.general.ordinals);
    return picked !== undefined && (u.band !== 'high' || this.isMenuLike(text)) ? picked : undefined;
  }

  /** Menu picks are short ("2", "de tweede", "mantelzorg"); a whole sentence is a new question. */
  private isMenuLike(text: string): boolean {
    return normalizeAnswer(text).split(' ').length <= 3;
  }

  /**
   * A municipality the resident names: the town alone ("Bussum", "hilversm"), or in a sentence that
   * says where they live ("ik woon eigenlijk in Blaricum"). A town in another sentence ("er staan
   * huizen te koop") is not taken as where they live.
   */
  private mentionedGemeente(text: string, data: ConversationData): Municipality | undefined {
    const found = findMunicipalityInText(text, this.deps.kb.municipalities);
    if (!found || found.code === data.gemeente) return undefined;
    const short = normalizeAnswer(text).split(' ').length <= 5;
    return short || /\b(woon|wonen|woont|gemeente|kom uit)\b/i.test(text) ? found : undefined;
  }

  /** "Een medewerker spreken", or a plain yes to the offer of a person. */
  private wantsPerson(text: string): boolean {
    const general = this.deps.content.general;
    const answer = normalizeAnswer(text);
    return [general.texts.personLabel, ...(general.switch.yes.synonyms ?? [])].some((t) => normalizeAnswer(t) === answer);
  }

  private isContinue(text: string, flowTitle: string): boolean {
    const general = this.deps.content.general;
    const answer = normalizeAnswer(text);
    if (answer === normalizeAnswer(fill(general.texts.continueLabel, { flow: flowTitle }))) return true;
    // Residents retype the button in their own words: "verder met de melding", "verder met een melding doen".
    const prefix = normalizeAnswer(fill(general.texts.continueLabel, { flow: '' }));
    if (answer.startsWith(`${prefix} `) && answer.split(' ').length <= 6) return true;
    return general.continueWords.some((w) => normalizeAnswer(w) === answer);
  }

  private async offerSwitch(context: TurnContext, topic: TopicId, flowTitle: string): Promise<void> {
    const general = this.deps.content.general;
    const question = fill(general.switch.question, { topic: general.topicLabels[topic] });
    const buttons = [general.switch.yes, general.switch.no].map((c) => imBack(fill(c.label, { flow: flowTitle })));
    await context.sendActivity(MessageFactory.suggestedActions(buttons, question));
  }

  private async offerDidYouMean(dc: DialogContext, u: Understanding, text: string, data: ConversationData): Promise<void> {
    const general = this.deps.content.general;
    const candidates = u.candidates
      .map((c) => c.topic)
      .filter((t) => t !== 'buiten-bereik' && t !== 'groet')
      .filter((t, i, all) => all.indexOf(t) === i)
      .slice(0, 3);
    if (candidates.length === 0) return this.sayLow(dc, u, text, data);
    data.pending = { kind: 'didYouMean', candidates, text: redact(text).text };
    const buttons = [...candidates.map((t) => imBack(capitalize(general.topicLabels[t]))), imBack(general.bands.noneOfThese)];
    await dc.context.sendActivity(MessageFactory.suggestedActions(buttons, general.bands.middle));
  }

  private async sayLow(dc: DialogContext, u: Understanding, text: string, data: ConversationData): Promise<void> {
    const general = this.deps.content.general;
    const context = dc.context;
    if (text) {
      await this.deps.unanswered.add({ conversationId: context.activity.conversation.id, text, reason: 'laag', gemeente: data.gemeente, candidates: u.candidates.slice(0, 3) });
    }
    const m = data.gemeente ? this.deps.kb.municipality(data.gemeente) : undefined;
    const loket = m?.loket.phone ? `\n\n${m.loket.name}: ${m.loket.phone}` : '';
    data.pending = { kind: 'afterLow' };
    await context.sendActivity(
      MessageFactory.suggestedActions([imBack(general.bands.rephraseLabel), imBack(general.texts.personLabel)], `${general.bands.low}${loket}`),
    );
  }

  /* ---- global words ---- */

  private globalWord(text: string): GlobalWord | undefined {
    const answer = normalizeAnswer(text);
    if (!answer) return undefined;
    const words = this.deps.content.general.globalWords;
    const entries = Object.entries(words) as Array<[GlobalWord, string[]]>;
    for (const [word, list] of entries) if (list.some((w) => normalizeAnswer(w) === answer)) return word;
    // A short sentence that contains a phrase of two words or more ("ik wil een medewerker spreken").
    if (answer.split(' ').length <= 6) {
      for (const [word, list] of entries) {
        if (list.some((w) => normalizeAnswer(w).includes(' ') && ` ${answer} `.includes(` ${normalizeAnswer(w)} `))) return word;
      }
    }
    // One word with a typo ("opnieuww", "medewerkr"): only for the longer words, to stay safe.
    if (!answer.includes(' ') && answer.length >= 5) {
      const choices = entries.map(([, list]) => ({ value: list[0] }));
      const index = recognizeChoice(answer, choices, {});
      if (index !== undefined && entries[index][1][0].length >= 5) return entries[index][0];
    }
    return undefined;
  }

  private async handleGlobal(dc: DialogContext, word: GlobalWord): Promise<void> {
    const general = this.deps.content.general;
    const context = dc.context;
    const flow = this.activeFlow(dc);
    setReplyTopic(context, word === 'medewerker' ? 'medewerker' : flow?.topic ?? 'groet', 1);
    switch (word) {
      case 'stop':
        if (!flow) {
          await context.sendActivity(general.texts.nothingToStop);
          return;
        }
        await dc.cancelAllDialogs();
        await context.sendActivity(general.texts.stopped);
        return;
      case 'opnieuw': {
        if (!flow) {
          await this.sendMenu(dc, general.texts.nothingToRestart);
          return;
        }
        const options = dc.child?.stack[0]?.state?.options as object | undefined; // the flow's own waterfall
        await context.sendActivity(fill(general.texts.restarted, { flow: flow.title }));
        await dc.replaceDialog(flow.id, options);
        return;
      }
      case 'terug':
        return this.goBack(dc);
      case 'help':
        if (flow) {
          await context.sendActivity(fill(general.texts.helpInFlow, { flow: flow.title }));
          await dc.repromptDialog();
        } else {
          await this.sendMenu(dc, general.texts.help);
        }
        return;
      case 'medewerker':
        if (flow?.id === MEDEWERKER_DIALOG) return void (await dc.repromptDialog());
        // On top of the running flow: when the loket details are shown, the flow goes on.
        await dc.beginDialog(MEDEWERKER_DIALOG);
        return;
    }
  }

  /**
   * 'terug' asks the previous question again. Each flow step that asks something records its
   * index; going back drops the open prompt, points the waterfall at the step before the
   * previous question and runs it. Earlier answers stay until they are answered again.
   */
  private async goBack(dc: DialogContext): Promise<void> {
    const general = this.deps.content.general;
    const context = dc.context;
    const target = this.openPrompt(dc);
    // The stack's top is its last element: the open prompt, with its waterfall just below.
    const waterfall = target?.stack.at(-2);
    const asked = (waterfall?.state?.values as { asked?: number[] } | undefined)?.asked;
    if (!target || !waterfall || !asked) {
      await context.sendActivity(general.texts.backNothing);
      return;
    }
    if (asked.length < 2) {
      await context.sendActivity(general.texts.backFirst);
      await dc.repromptDialog();
      return;
    }
    asked.pop();
    const previous = asked.pop()!;
    target.stack.pop(); // the open prompt ends without answering the waterfall
    (waterfall.state as { stepIndex: number }).stepIndex = previous - 1;
    (waterfall.state.values as { goingBack?: string }).goingBack = '1'; // ask it even if it is known
    await context.sendActivity(general.texts.back);
    const dialog = target.findDialog(waterfall.id) as WaterfallDialog;
    await dialog.resumeDialog(target, DialogReason.nextCalled);
  }

  /* ---- safety ---- */

  private async sendSafety(context: TurnContext, signal: SafetySignal, gemeente: string | undefined, flowTitle?: string): Promise<void> {
    const { content, kb, now } = this.deps;
    setReplyTopic(context, 'veiligheid', 1);
    if (signal.kind === 'dakloos') {
      const services = findServices(kb, 'maatschappelijke opvang nachtopvang crisisdienst dakloos', { gemeente, limit: 2 });
      if (services.length) {
        const blocks = services.map((s) => formatContact(serviceContact(kb, s, content.general.weekdays, now())));
        await context.sendActivity(`${content.safety.dakloos}\n\n${blocks.join('\n\n')}`);
      } else {
        await context.sendActivity(`${content.safety.dakloos}\n\n${content.safety.dakloosNoService}`);
      }
    } else if (!signal.matched) {
      // Only the classifier's safety net fired: no phrase says which danger, so give every number.
      await context.sendActivity(content.safety.general);
    } else {
      await context.sendActivity(content.safety[signal.kind]);
    }
    await this.offerPerson(context, flowTitle);
  }

  private async offerPerson(context: TurnContext, flowTitle?: string): Promise<void> {
    const general = this.deps.content.general;
    const buttons = [imBack(general.texts.personLabel)];
    if (flowTitle) buttons.push(imBack(fill(general.texts.continueLabel, { flow: flowTitle })));
    await context.sendActivity(MessageFactory.suggestedActions(buttons, this.deps.content.safety.offerPerson));
  }
}

function imBack(title: string): CardAction {
  return { type: 'imBack', title, value: title };
}

function choiceLike(choice: ContentChoice, vars: Parameters<typeof fill>[1]): ChoiceLike {
  return { value: fill(choice.label, vars), synonyms: choice.synonyms };
}
