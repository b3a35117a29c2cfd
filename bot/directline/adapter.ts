import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';

/** Where the bot's outgoing activities go: into the embedded channel's conversation. */
export type DeliverFromBot = (activity: Partial<Activity>) => ResourceResponse;

/**
 * The adapter behind the embedded Direct Line channel. Incoming activities run through the same
 * CloudAdapter pipeline (middleware, onTurnError, the bot) as on /api/messages; only the last
 * hop differs: replies are written straight into the channel's conversation instead of being
 * posted to a connector over HTTP. The channel authenticates residents with its own tokens, so
 * there is no Bot Framework token to check on this in-process path.
 */
export class DirectLineAdapter extends CloudAdapter {
  constructor(private readonly deliver: DeliverFromBot) {
    super(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }));
  }

  override async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, typeof activity.value === 'number' ? activity.value : 1000));
        responses.push({ id: '' });
      } else if (activity.type === ActivityTypes.Trace || activity.type === ActivityTypes.InvokeResponse) {
        responses.push({ id: '' });
      } else {
        responses.push(this.deliver(activity));
      }
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('The embedded Direct Line channel does not support updating activities.');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('The embedded Direct Line channel does not support deleting activities.');
  }
}
