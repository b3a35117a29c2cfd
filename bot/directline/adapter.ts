import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type Middleware,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type ConnectorClient = Awaited<ReturnType<NonNullable<AuthenticateRequestResult['connectorFactory']>['create']>>;
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;

/**
 * Authentication for the in-process path: there is no Bot Framework token to check (the channel
 * checks its own tokens), so every turn gets the same anonymous result. CloudAdapter asks for it,
 * for a connector client and for a user token client on every turn; built once here, not per
 * turn, because replies never go through a connector (sendActivities below) and the bot uses no
 * sign-in. They are still real objects, so SDK code that looks them up finds them.
 */
class EmbeddedChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  private result?: Promise<AuthenticateRequestResult>;
  private userTokenClient?: Promise<UserTokenClient>;
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();

  constructor() {
    super({ MicrosoftAppId: '', MicrosoftAppPassword: '' });
  }

  override authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    this.result ??= super.authenticateRequest(activity, authHeader).then((result) => {
      const factory = result.connectorFactory;
      if (!factory) return result;
      const connectorFactory = {
        create: (serviceUrl: string, audience?: string) => {
          const key = `${serviceUrl} ${audience ?? ''}`;
          let client = this.connectors.get(key);
          if (!client) {
            client = factory.create(serviceUrl, audience);
            this.connectors.set(key, client);
          }
          return client;
        },
      };
      return { ...result, connectorFactory };
    });
    this.result.catch(() => (this.result = undefined)); // a failure is not remembered
    return this.result;
  }

  override createUserTokenClient(claimsIdentity: AuthenticateRequestResult['claimsIdentity']): Promise<UserTokenClient> {
    this.userTokenClient ??= super.createUserTokenClient(claimsIdentity);
    return this.userTokenClient;
  }
}

/** The turn-state key under which botbuilder-dialogs' DialogStateManager looks for its configuration (dialogStateManager.js). */
const DIALOG_STATE_CONFIGURATION = 'DialogStateManagerConfiguration';

/**
 * botbuilder-dialogs builds its memory scopes and path resolvers anew on every turn unless the
 * turn state holds a configuration (about 0.1–0.3 ms a turn: a service collection and a
 * dependency graph). They hold no per-turn data (DialogManager's stateConfiguration shares them
 * across turns the same way), so the one built on the first turn is handed to every later turn.
 */
function reuseDialogStateConfiguration(): Middleware {
  let configuration: unknown;
  return {
    onTurn: async (context, next) => {
      if (configuration) context.turnState.set(DIALOG_STATE_CONFIGURATION, configuration);
      await next();
      configuration ??= context.turnState.get(DIALOG_STATE_CONFIGURATION);
    },
  };
}

/**
 * Where the bot's outgoing activities go: into the embedded channel's conversation, several of
 * one conversation at once (a turn's replies), in order; one response per activity.
 */
export type DeliverFromBot = (activities: Partial<Activity>[]) => ResourceResponse[] | Promise<ResourceResponse[]>;

/**
 * The adapter behind the embedded Direct Line channel. Incoming activities run through the same
 * CloudAdapter pipeline (middleware, onTurnError, the bot) as on /api/messages; only the last
 * hop differs: replies are written straight into the channel's conversation instead of being
 * posted to a connector over HTTP. The channel authenticates residents with its own tokens, so
 * there is no Bot Framework token to check on this in-process path.
 */
export class DirectLineAdapter extends CloudAdapter {
  constructor(private readonly deliver: DeliverFromBot) {
    super(new EmbeddedChannelAuthentication());
    this.use(reuseDialogStateConfiguration());
  }

  /**
   * A turn's replies reach the conversation together, so an open stream gets them in one activity
   * set instead of one message each; a delay still holds back what follows it.
   */
  override async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = activities.map(() => ({ id: '' }));
    let batch: number[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const delivered = await this.deliver(batch.map((i) => activities[i]));
      batch.forEach((i, k) => (responses[i] = delivered[k]));
      batch = [];
    };
    for (const [i, activity] of activities.entries()) {
      if (activity.type === 'delay') {
        await flush();
        await new Promise((resolve) => setTimeout(resolve, typeof activity.value === 'number' ? activity.value : 1000));
      } else if (activity.type !== ActivityTypes.Trace && activity.type !== ActivityTypes.InvokeResponse) {
        if (batch.length > 0 && activities[batch[0]].conversation?.id !== activity.conversation?.id) await flush();
        batch.push(i);
      }
    }
    await flush();
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('The embedded Direct Line channel does not support updating activities.');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('The embedded Direct Line channel does not support deleting activities.');
  }
}
