/**
 * The bot in Microsoft Teams (channelId `msteams`), for Wmo consultants: escalations as cards in
 * a channel, claim and chat with the resident in the card's thread, knowledge lookup, and
 * "opslaan als antwoord". It runs on the same adapter and /api/messages as the resident bot;
 * WmoBot hands it every msteams turn. Only names that also exist in the Microsoft 365 Agents
 * SDK's Teams extension are used (TeamsActivityHandler, TeamsInfo, teamsGetChannelId), so a
 * later move is an import swap.
 */
import {
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  teamsGetChannelId,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type CloudAdapter,
  type ConversationReference,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TeamsChannelData,
} from 'botbuilder';
import type { LoggerView } from '../../dialogs/ports.js';
import { formatHours, serviceContact } from '../../dialogs/socialeKaart.js';
import { findMunicipalityInText, type KnowledgeBase } from '../../knowledge/index.js';
import type { ReviewStore } from '../review/store.js';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  ASSIGNEE_INPUT,
  cardAttachment,
  escalationCard,
  lookupCard,
  takenNotice,
  VERBS,
  type Card,
  type LookupHit,
  type Verb,
} from './cards.js';
import { DeskError, OUTCOMES, type DeskEvent, type Escalation, type EscalationDesk, type Outcome, type Person } from './desk.js';
import { TeamsStore, type EscalationPost } from './store.js';

export interface TeamsBotDeps {
  storage: ConstructorParameters<typeof TeamsStore>[0];
  kb: KnowledgeBase;
  reviews: ReviewStore;
  /** The handoff service's desk; without it, escalation features say they are not connected. */
  desk?: EscalationDesk;
  /** MicrosoftAppId: creating a channel thread with CloudAdapter needs it. Empty: Teams turns are ignored. */
  appId: string;
  /** Microsoft Entra tenants whose Teams users may act as consultants; turns from any other tenant are ignored. */
  tenantIds: string[];
  /** Dutch weekday names, Monday first (content/general.json), for opening hours. */
  weekdays: string[];
  logger?: LoggerView;
  now?: () => Date;
}

const THREAD_MARK = ';messageid=';

const HELP = [
  'Dit kan ik in Teams:',
  '- **escalaties hier** (of **escalaties hier Huizen**) in een kanaal: escalaties van de regio (of van één gemeente) komen in dit kanaal.',
  '- **zoek** vraag [gemeente]: voorzieningen, uitleg en de sociale kaart.',
  '- **opslaan als antwoord** tekst: een voorstel voor de kennisbank; het gaat eerst langs de kennisbeheerder.',
  '- In de draad van een escalatie, na **Overnemen**: wat u schrijft gaat naar de inwoner. **terug** geeft het gesprek terug aan de assistent, **sluit** uitkomst sluit het (uitkomst: geholpen, doorverwezen, terugbelverzoek, melding gemaakt).',
].join('\n');

/** The root message id of a channel thread (`19:…@thread.tacv2;messageid=123` → `123`). */
export function threadRootId(conversationId: string | undefined): string | undefined {
  const at = conversationId?.indexOf(THREAD_MARK) ?? -1;
  return at >= 0 ? conversationId!.slice(at + THREAD_MARK.length) : undefined;
}

function channelOf(conversationId: string): string {
  const at = conversationId.indexOf(THREAD_MARK);
  return at >= 0 ? conversationId.slice(0, at) : conversationId;
}

/** A Teams message body (HTML) as plain text: line breaks kept, tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  const entities: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return html
    .replace(/<br\s*\/?>|<\/(p|div|li)>/giu, '\n')
    .replace(/<[^>]*>/gu, '')
    .replace(/&(#x[0-9a-f]{1,8}|#\d{1,10}|[a-z]+);/giu, (all, name: string) => {
      if (!name.startsWith('#')) return entities[name.toLowerCase()] ?? all;
      const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    })
    .replace(/[ \t]+/gu, ' ')
    .replace(/\s*\n\s*/gu, '\n')
    .trim();
}

function person(activity: Activity): Person {
  const from = activity.from ?? { id: 'onbekend', name: '' };
  return { id: `teams:${from.aadObjectId ?? from.id}`, name: from.name?.trim() || 'Een medewerker' };
}

export class WmoTeamsBot extends TeamsActivityHandler {
  readonly store: TeamsStore;
  private adapter?: CloudAdapter;
  private unsubscribe?: () => void;
  /** Desk events of one escalation are handled in order (the card exists before it is updated). */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly now: () => Date;

  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.store = new TeamsStore(deps.storage);
    this.now = deps.now ?? (() => new Date());

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.rememberTeam(context, true);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
      if (botAdded) await this.rememberTeam(context, false);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.onConsultantMessage(context);
      await next();
    });
    this.onTyping(async (context, next) => {
      const post = await this.store.postByThread(threadRootId(context.activity.conversation?.id) ?? '');
      const escalation = post && (await this.deps.desk?.get(post.escalationId));
      const who = person(context.activity);
      if (escalation?.state === 'claimed' && escalation.claimedBy?.id === who.id) {
        // Typing is a hint: when the conversation changed hands meanwhile, there is nothing to show.
        await this.deps.desk!.typing(escalation.id, who).catch((error: unknown) => {
          if (!(error instanceof DeskError)) throw error;
        });
      }
      await next();
    });
  }

  /**
   * Only authenticated Teams turns from the municipality's own tenant(s): without an app id the
   * channel is not authenticated, and any tenant could otherwise install the app and have
   * residents' escalations routed to its own channel.
   */
  override async run(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const tenant = (activity.channelData as TeamsChannelData | undefined)?.tenant?.id ?? activity.conversation?.tenantId;
    if (!this.deps.appId || !tenant || !this.deps.tenantIds.includes(tenant)) {
      this.deps.logger?.warn({ tenant: tenant?.slice(0, 40), appId: !!this.deps.appId }, 'teams: turn ignored (no MicrosoftAppId, or a tenant not in TEAMS_TENANT_IDS)');
      return;
    }
    await super.run(context);
  }

  /** Send to Teams through this adapter, and follow the desk: new escalations, changes, the resident's messages. */
  connect(adapter: CloudAdapter): void {
    this.adapter = adapter;
    if (this.deps.appId && this.deps.tenantIds.length === 0) {
      this.deps.logger?.warn({}, 'teams: neither TEAMS_TENANT_IDS nor MicrosoftAppTenantId is set, so no Teams user is let in as a consultant');
    }
    this.unsubscribe = this.deps.desk?.subscribe((event) => this.enqueue(event));
  }

  /** Stop following the desk and wait for what is being sent to Teams. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()]);
  }

  // ---- install and channel setup ----------------------------------------------------------

  /** Keep the team's conversation reference (durably, before anything is sent proactively). */
  private async rememberTeam(context: TurnContext, greet: boolean): Promise<void> {
    const data = context.activity.channelData as TeamsChannelData | undefined;
    const team = data?.team;
    if (!team?.id) return; // personal or group chat: nothing to keep
    const known = await this.store.team(team.id);
    await this.store.saveTeam({
      teamId: team.id,
      teamName: team.name ?? known?.teamName,
      tenantId: data?.tenant?.id,
      reference: TurnContext.getConversationReference(context.activity),
      installedAt: known?.installedAt ?? this.now().toISOString(),
    });
    if (greet && !known) {
      await context.sendActivity(
        'Hallo, ik ben de Wmo-assistent. Schrijf **@Wmo-assistent escalaties hier** in het kanaal waar escalaties van inwoners moeten komen (of **escalaties hier Huizen** voor één gemeente).',
      );
    }
  }

  private async setEscalationChannel(context: TurnContext, rest: string): Promise<void> {
    const activity = context.activity;
    const channelId = teamsGetChannelId(activity);
    const team = (activity.channelData as TeamsChannelData | undefined)?.team;
    if (!channelId || !team?.id) {
      await context.sendActivity('Dit werkt alleen in een kanaal van een team. Schrijf het in het kanaal waar de escalaties moeten komen.');
      return;
    }
    const municipality = rest ? findMunicipalityInText(rest, this.deps.kb.municipalities) : undefined;
    if (rest && !municipality) {
      const names = this.deps.kb.municipalities.map((m) => m.name).join(', ');
      await context.sendActivity({ text: `Die gemeente ken ik niet in deze regio: "${rest}". Kies uit: ${names}.`, textFormat: 'plain' });
      return;
    }
    await this.rememberTeam(context, false);
    const reference = TurnContext.getConversationReference(activity);
    reference.conversation = { ...reference.conversation!, id: channelOf(activity.conversation.id) };
    await this.store.setRoute(municipality?.code, {
      teamId: team.id,
      channelId,
      reference,
      setBy: person(activity).name,
      setAt: this.now().toISOString(),
    });
    const region = this.deps.kb.municipalities[0]?.region ?? 'de regio';
    await context.sendActivity(
      municipality
        ? `Dit kanaal krijgt nu de escalaties van ${municipality.name}.`
        : `Dit kanaal krijgt nu de escalaties van de regio ${region} (behalve gemeenten met een eigen kanaal).`,
    );
  }

  // ---- messages ------------------------------------------------------------------------------

  private async onConsultantMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const submitted = activity.value as { wmoAction?: unknown } | undefined;
    if (submitted && typeof submitted === 'object' && typeof submitted.wmoAction === 'string') {
      await this.onSubmit(context, submitted.wmoAction, submitted as Record<string, unknown>);
      return;
    }
    const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').replace(/\s+/gu, ' ').trim();
    const post = await this.store.postByThread(threadRootId(activity.conversation?.id) ?? '');
    if (post && (await this.inEscalationThread(context, post, text))) return;

    const lower = text.toLowerCase();
    let match: RegExpMatchArray | null;
    if ((match = /^escalaties hier\b\s*(.*)$/iu.exec(text))) await this.setEscalationChannel(context, match[1].trim());
    else if ((match = /^zoek\b\s*(.*)$/iu.exec(text))) await this.lookup(context, match[1].trim());
    else if ((match = /^opslaan als antwoord\b\s*:?\s*(.*)$/iu.exec(text))) await this.propose(context, match[1].trim(), post);
    else if (!post && (lower === 'help' || activity.conversation?.conversationType !== 'channel' || this.mentioned(activity))) {
      // In a channel the bot reads every message (resource-specific consent): answer only when asked.
      await context.sendActivity(HELP);
    }
  }

  private mentionsOthers(activity: Activity): boolean {
    return (activity.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id !== activity.recipient?.id);
  }

  private mentioned(activity: Activity): boolean {
    return (activity.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient?.id);
  }

  /** A message in an escalation's thread: a command, or, from the person who has it, a message for the resident. */
  private async inEscalationThread(context: TurnContext, post: EscalationPost, text: string): Promise<boolean> {
    const desk = this.deps.desk;
    if (!desk || !text) return false;
    const who = person(context.activity);
    const escalation = await desk.get(post.escalationId);
    if (!escalation) return false;
    const mine = escalation.state === 'claimed' && escalation.claimedBy?.id === who.id;
    const lower = text.toLowerCase();
    try {
      if (lower === 'terug') {
        if (!mine) return this.notYours(context, escalation);
        await desk.release(escalation.id, who);
        return true;
      }
      const close = /^sluit\b\s*(.*)$/iu.exec(text);
      if (close) {
        if (!mine) return this.notYours(context, escalation);
        const outcome = OUTCOMES.find((o) => o === close[1].toLowerCase().trim());
        if (!outcome) {
          await context.sendActivity(`Met welke uitkomst? Schrijf bijvoorbeeld **sluit geholpen**. Mogelijk: ${OUTCOMES.join(', ')}.`);
          return true;
        }
        await desk.close(escalation.id, who, outcome as Outcome);
        return true;
      }
      if (/^(escalaties hier|zoek|opslaan als antwoord)\b/iu.test(text)) return false;
      // A message that @mentions a colleague is for the colleague, not for the resident.
      if (mine && !this.mentionsOthers(context.activity)) {
        await desk.relay(escalation.id, who, text);
        return true;
      }
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await context.sendActivity(error.message);
      return true;
    }
    return true; // colleagues talking in the thread: not for the resident, not for the bot
  }

  private async notYours(context: TurnContext, escalation: Escalation): Promise<true> {
    await context.sendActivity(
      escalation.state === 'claimed'
        ? `Dit gesprek heeft ${escalation.claimedBy?.name ?? 'een collega'}; alleen die kan het teruggeven of sluiten.`
        : 'Neem het gesprek eerst over met **Overnemen** op de kaart.',
    );
    return true;
  }

  // ---- the card's actions --------------------------------------------------------------------

  /** Action.Execute: the refreshed card is the invoke response (the clicker sees it at once). */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = invokeValue?.action?.verb;
    const data = (invokeValue?.action?.data ?? {}) as Record<string, unknown>;
    if (!(VERBS as readonly string[]).includes(verb)) {
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: `Onbekende actie "${String(verb).slice(0, 40)}".` } as never };
    }
    const { card } = await this.act(context, verb as Verb, data);
    return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card as never };
  }

  /** Action.Submit (clients without Universal Actions): everyone's card is updated; a notice goes to the thread. */
  private async onSubmit(context: TurnContext, verb: string, data: Record<string, unknown>): Promise<void> {
    if (!(VERBS as readonly string[]).includes(verb)) return;
    const { card, notice } = await this.act(context, verb as Verb, data);
    if (notice) await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }

  /** Does what the card's button asks and returns the card as the one who clicked should see it. */
  private async act(context: TurnContext, verb: Verb, data: Record<string, unknown>): Promise<{ card: Card; notice?: string }> {
    const desk = this.deps.desk;
    const id = typeof data.escalationId === 'string' ? data.escalationId : '';
    const escalation = desk && id ? await desk.get(id) : undefined;
    if (!desk || !escalation) return this.shown(undefined, 'Deze escalatie bestaat niet (meer).');
    // The card's own thread only: a hand-made action elsewhere cannot reach another channel's escalation.
    const post = await this.store.post(id);
    if (!post || threadRootId(context.activity.conversation?.id) !== post.activityId) return this.shown(undefined, 'Deze actie hoort bij een kaart in een ander kanaal.');
    const who = person(context.activity);
    try {
      if (verb === 'overnemen') {
        const result = await desk.claim(id, who);
        return this.shown(result.escalation, result.ok ? undefined : takenNotice(result.takenBy));
      }
      if (verb === 'transcript') {
        const lines = await desk.transcript(id);
        const text = lines.length
          ? lines.map((l) => `${l.from === 'resident' ? 'Inwoner' : l.from === 'bot' ? 'Assistent' : (l.name ?? 'Medewerker')}: ${l.text}`).join('\n')
          : 'Nog geen berichten.';
        await context.sendActivity({ type: 'message', text: `Transcript (zonder persoonsgegevens):\n${text}`, textFormat: 'plain' });
        return this.shown(escalation);
      }
      const to = typeof data[ASSIGNEE_INPUT] === 'string' ? (data[ASSIGNEE_INPUT] as string) : '';
      if (!to) return this.shown(escalation, 'Kies eerst een collega.');
      const member = await TeamsInfo.getMember(context, to).catch(() => undefined);
      if (!member) return this.shown(escalation, 'Die collega staat niet in dit team. Kies iemand uit het team.');
      const assigned = await desk.assign(id, { id: `teams:${member.aadObjectId ?? member.id}`, name: member.name || 'een collega' }, who);
      return this.shown(assigned);
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      return this.shown(escalation, error.message);
    }
  }

  /** The card for the one who clicked, with a notice on top when something stood in the way. */
  private shown(escalation: Escalation | undefined, notice?: string): { card: Card; notice?: string } {
    if (!escalation) return { card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: notice, wrap: true }] }, notice };
    return { card: this.cardFor(escalation, notice), notice };
  }

  private cardFor(escalation: Escalation, notice?: string): Card {
    const gemeenteName = escalation.gemeente ? this.deps.kb.municipality(escalation.gemeente)?.name : undefined;
    return escalationCard(escalation, { gemeenteName, now: this.now(), notice });
  }

  // ---- desk events → Teams -----------------------------------------------------------------

  private enqueue(event: DeskEvent): void {
    const id = event.type === 'created' || event.type === 'changed' ? event.escalation.id : event.escalationId;
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => this.onDeskEvent(event))
      .catch((error: unknown) => this.deps.logger?.error({ err: (error as Error).message, event: event.type, escalation: id }, 'teams: could not show a desk event'));
    this.queues.set(id, next);
    void next.then(() => {
      if (this.queues.get(id) === next) this.queues.delete(id);
    });
  }

  private async onDeskEvent(event: DeskEvent): Promise<void> {
    if (event.type === 'created') return this.postEscalation(event.escalation);
    const post = await this.store.post(event.type === 'changed' ? event.escalation.id : event.escalationId);
    // A desk that only says "changed" (the handoff service's queue event) still gets its card posted once.
    if (!post && event.type === 'changed' && event.escalation.state === 'waiting') return this.postEscalation(event.escalation);
    if (!post) return; // not shown in Teams (no channel for it)
    if (event.type === 'changed') {
      await this.inThread(post, async (context) => {
        await context.updateActivity({ type: 'message', id: post.activityId, attachments: [cardAttachment(this.cardFor(event.escalation))] });
        const note = this.stateNote(post, event.escalation);
        if (note) await context.sendActivity(note);
      });
      const holder = event.escalation.claimedBy?.id;
      if (post.lastState !== event.escalation.state || post.lastHolder !== holder) {
        await this.store.savePost({ ...post, lastState: event.escalation.state, lastHolder: holder });
      }
    } else if (event.type === 'message') {
      // textFormat plain: the resident's words are shown as they typed them, never as markdown.
      const text = `${event.safety ? 'LET OP, VEILIGHEIDSSIGNAAL. ' : ''}Inwoner: ${event.text}`;
      const escalation = event.safety ? await this.deps.desk?.get(event.escalationId) : undefined;
      await this.inThread(post, async (context) => {
        await context.sendActivity({ type: 'message', text, textFormat: 'plain', ...(event.safety ? { importance: 'high' } : {}) });
        // The card shows the safety flag from now on.
        if (escalation) await context.updateActivity({ type: 'message', id: post.activityId, attachments: [cardAttachment(this.cardFor(escalation))] });
      });
    } else {
      await this.inThread(post, (context) => context.sendActivity({ type: 'typing' }));
    }
  }

  private stateNote(post: EscalationPost, escalation: Escalation): string | undefined {
    if (post.lastState === escalation.state && escalation.state !== 'claimed') return undefined;
    switch (escalation.state) {
      case 'claimed':
        return post.lastState === 'claimed' && post.lastHolder === escalation.claimedBy?.id
          ? undefined
          : `${escalation.claimedBy?.name ?? 'Een medewerker'} heeft het gesprek. Wat die hier schrijft, gaat naar de inwoner. **terug**: terug naar de assistent; **sluit** uitkomst: gesprek sluiten.`;
      case 'released':
        return 'Het gesprek is terug bij de assistent.';
      case 'closed':
        return `Het gesprek is gesloten${escalation.outcome ? ` (${escalation.outcome})` : ''}.`;
      default:
        return undefined;
    }
  }

  /** A new thread in the escalation channel with the card; its reference and id are kept for updates and replies. */
  private async postEscalation(escalation: Escalation): Promise<void> {
    if (await this.store.post(escalation.id)) return; // posted already (events of one escalation run in order)
    const route = await this.store.routeFor(escalation.gemeente);
    if (!route) {
      this.deps.logger?.warn({ escalation: escalation.id, gemeente: escalation.gemeente }, 'teams: no escalation channel set; write "escalaties hier" in a channel');
      return;
    }
    const appId = this.requireAppId();
    const activity = MessageFactory.attachment(cardAttachment(this.cardFor(escalation))) as Activity;
    await this.adapterOrThrow().continueConversationAsync(appId, route.reference, async (context) => {
      const [reference, returnedId] = await TeamsInfo.sendMessageToTeamsChannel(context, activity, route.channelId, appId);
      // With CloudAdapter the SDK returns the new conversation's id where the activity id belongs;
      // the thread id (`…;messageid=<id>`) names the root message either way.
      const activityId = threadRootId(reference.conversation?.id) ?? returnedId;
      await this.store.savePost({ escalationId: escalation.id, channelId: route.channelId, reference, activityId, lastState: escalation.state });
    });
  }

  private async inThread(post: EscalationPost, logic: (context: TurnContext) => Promise<unknown>): Promise<void> {
    await this.adapterOrThrow().continueConversationAsync(this.requireAppId(), post.reference as ConversationReference, async (context) => {
      // A reply to the card, i.e. in its thread; otherwise the SDK names the made-up id of the
      // continuation activity, which Teams does not know.
      context.onSendActivities(async (_context, activities, next) => {
        for (const activity of activities) activity.replyToId = post.activityId;
        return next();
      });
      await logic(context);
    });
  }

  private adapterOrThrow(): CloudAdapter {
    if (!this.adapter) throw new Error('teams: connect(adapter) was not called');
    return this.adapter;
  }

  private requireAppId(): string {
    if (!this.deps.appId) throw new Error('teams: MicrosoftAppId is not set; posting to a Teams channel needs the bot\'s app id');
    return this.deps.appId;
  }

  // ---- lookup and review ---------------------------------------------------------------------

  private async lookup(context: TurnContext, question: string): Promise<void> {
    if (!question) {
      await context.sendActivity('Wat zoekt u? Schrijf bijvoorbeeld **zoek respijtzorg Huizen**.');
      return;
    }
    const { kb, weekdays } = this.deps;
    const municipality = findMunicipalityInText(question, kb.municipalities);
    const now = this.now();
    const options = { gemeente: municipality?.code, now, limit: 3 };
    const hits: LookupHit[] = [
      ...kb.search(question, { ...options, kinds: ['provision', 'article'] }).map((h) => ({ kind: h.kind, title: h.title, snippet: h.snippet, sources: h.sources })),
      ...kb.search(question, { ...options, kinds: ['service'] }).map((h) => {
        const service = kb.service(h.id);
        const contact = service ? serviceContact(kb, service, now) : undefined;
        return { kind: h.kind, title: h.title, snippet: h.snippet, sources: h.sources, openNow: contact?.openNow, hours: formatHours(contact?.hours, weekdays), phone: contact?.phone };
      }),
    ];
    await context.sendActivity(MessageFactory.attachment(cardAttachment(lookupCard(question, municipality?.name, hits))));
  }

  /** The message action "Opslaan als antwoord" (… on any message): that message becomes a proposal. */
  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const body = action.messagePayload?.body;
    const text = body?.contentType === 'html' ? htmlToText(body.content ?? '') : (body?.content ?? '').trim();
    const question = typeof (action.data as { vraag?: unknown } | undefined)?.vraag === 'string' ? (action.data as { vraag: string }).vraag.trim() : '';
    if (action.commandId !== 'opslaanAlsAntwoord' || !text) {
      return { task: { type: 'message', value: 'Dit bericht heeft geen tekst om op te slaan.' } };
    }
    const post = await this.store.postByThread(threadRootId(context.activity.conversation?.id) ?? '');
    const proposal = await this.saveProposal(context, text, question || undefined, post);
    return { task: { type: 'message', value: `Opgeslagen als voorstel (${proposal.id}). De kennisbeheerder bekijkt het; pas na goedkeuring zien inwoners het.` } };
  }

  private saveProposal(context: TurnContext, text: string, question: string | undefined, post: EscalationPost | undefined) {
    return this.deps.reviews.propose({
      text,
      question,
      source: { kind: 'teams', conversationId: context.activity.conversation.id, ...(post ? { escalationId: post.escalationId } : {}) },
      author: person(context.activity),
    });
  }

  private async propose(context: TurnContext, typed: string, post: EscalationPost | undefined): Promise<void> {
    const who = person(context.activity);
    let text = typed;
    let question: string | undefined;
    if (!text && post && this.deps.desk) {
      // From the thread: the consultant's last reply to the resident, and what the resident asked before it.
      const lines = await this.deps.desk.transcript(post.escalationId);
      const last = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.from === 'staff' && l.name === who.name).pop();
      if (last) {
        text = last.l.text;
        question = lines.slice(0, last.i).filter((l) => l.from === 'resident').pop()?.text;
      }
    }
    if (!text) {
      await context.sendActivity('Welk antwoord? Schrijf **opslaan als antwoord** gevolgd door de tekst, of gebruik het in de draad van een gesprek na uw antwoord.');
      return;
    }
    const proposal = await this.saveProposal(context, text, question, post);
    await context.sendActivity(`Opgeslagen als voorstel (${proposal.id}). De kennisbeheerder bekijkt het; pas na goedkeuring zien inwoners het.`);
  }
}
