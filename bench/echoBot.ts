/**
 * The echo bot the Wmo bot is measured against: replies with what it got and keeps a count in
 * conversation state, through the same state stack (ETag conversation state over redaction). Run by
 * the bench server (bench/server.ts) on the embedded Direct Line and by bench/botOnly.ts alone.
 */
import { ActivityHandler, type StatePropertyAccessor, type Storage, type TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import { ETagConversationState, RedactingStorage } from '../bot/storage/index.js';

/** `throughDialogs`: the echo as a dialog (the echo-dialogs kind), to see what botbuilder-dialogs alone costs. */
export class EchoBot extends ActivityHandler {
  private readonly state: ETagConversationState;

  constructor(storage: Storage, throughDialogs = false) {
    super();
    this.state = new ETagConversationState(new RedactingStorage(storage));
    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient.id)) {
        await context.sendActivity('Welkom bij de echo.');
      }
      await next();
    });
    if (throughDialogs) {
      const dialogState = this.state.createProperty<DialogState>('dialogState');
      this.onMessage((context, next) => EchoDialog.run(context, dialogState).then(next));
      return;
    }
    const count = this.state.createProperty<number>('count');
    const last = this.state.createProperty<string>('last');
    this.onMessage(async (context, next) => {
      const n = (await count.get(context, 0)) + 1;
      await count.set(context, n);
      await last.set(context, context.activity.text ?? '');
      await context.sendActivity(`echo ${n}: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    try {
      await super.run(context);
    } finally {
      await this.state.saveChanges(context);
    }
  }
}

/** The echo as a dialog, run as MainDialog.run runs the router: a DialogSet, a context, continue or begin. */
class EchoDialog extends ComponentDialog {
  private static readonly dialog = new EchoDialog();

  private constructor() {
    super('echo');
  }

  static async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
    const set = new DialogSet(dialogState);
    set.add(EchoDialog.dialog);
    const dc = await set.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(EchoDialog.dialog.id);
  }

  protected override onBeginDialog(innerDc: DialogContext) {
    return this.onContinueDialog(innerDc);
  }

  protected override async onContinueDialog(innerDc: DialogContext) {
    await innerDc.context.sendActivity(`echo: ${innerDc.context.activity.text ?? ''}`);
    return Dialog.EndOfTurn;
  }
}
