import { ActivityHandler, ConversationState, UserState, type TurnContext } from 'botbuilder';

/** Minimal bot for the foundation; the dialogs issue replaces the message handling. */
export class WmoBot extends ActivityHandler {
  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
  ) {
    super();
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) {
          await context.sendActivity(
            'Welkom bij het Wmo-loket. Ik ben een digitale assistent, geen mens. Typ geen BSN of medische gegevens.',
          );
        }
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await context.sendActivity(`U vroeg: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }
}
