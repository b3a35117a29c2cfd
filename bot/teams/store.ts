/**
 * What the Teams module keeps, through the storage layer (durable, eTag-checked): the teams the
 * bot was added to, which channel takes the escalations of the region or of one municipality,
 * and which card in which thread belongs to which escalation. Nothing of a resident is kept here.
 */
import type { ConversationReference, Storage, StoreItem } from 'botbuilder';
import { ETagConflictError } from '../storage/index.js';

export interface TeamRecord {
  teamId: string;
  teamName?: string;
  tenantId?: string;
  /** The team's conversation reference (serviceUrl, bot, general channel), kept to send proactively. */
  reference: Partial<ConversationReference>;
  installedAt: string;
}

export interface ChannelRoute {
  teamId: string;
  channelId: string;
  /** A reference in the team (serviceUrl, bot, tenant) from which a new thread is created. */
  reference: Partial<ConversationReference>;
  setBy: string;
  setAt: string;
}

/** Where escalations go: one channel for the whole region, or one per municipality (CBS code). */
export interface Routes {
  region?: ChannelRoute;
  gemeenten: Record<string, ChannelRoute>;
}

/** The card of one escalation: the thread it started and its activity id, for updates and replies. */
export interface EscalationPost {
  escalationId: string;
  channelId: string;
  /** The thread's reference as sendMessageToTeamsChannel returned it (conversation id with `;messageid=`). */
  reference: Partial<ConversationReference>;
  activityId: string;
  /** The state and holder last announced in the thread (to say only what changed). */
  lastState?: string;
  lastHolder?: string;
}

const TEAM = 'teams/team/';
const ROUTES = 'teams/routes';
const POST = 'teams/post/';
const THREAD = 'teams/thread/';

export class TeamsStore {
  constructor(private readonly storage: Storage) {}

  async saveTeam(team: TeamRecord): Promise<void> {
    await this.storage.write({ [TEAM + team.teamId]: { ...team, eTag: '*' } });
  }

  async team(teamId: string): Promise<TeamRecord | undefined> {
    return (await this.read<TeamRecord>(TEAM + teamId))?.value;
  }

  async routes(): Promise<Routes> {
    return (await this.read<Routes>(ROUTES))?.value ?? { gemeenten: {} };
  }

  /** Sets the channel for the region (no gemeente) or for one municipality; concurrent changes are retried, not lost. */
  async setRoute(gemeente: string | undefined, route: ChannelRoute): Promise<void> {
    for (;;) {
      const stored = await this.read<Routes>(ROUTES);
      const routes: Routes = stored?.value ?? { gemeenten: {} };
      if (gemeente) routes.gemeenten = { ...routes.gemeenten, [gemeente]: route };
      else routes.region = route;
      try {
        await this.storage.write({ [ROUTES]: { ...routes, eTag: stored?.eTag ?? '*' } });
        return;
      } catch (error) {
        if (!(error instanceof ETagConflictError)) throw error;
      }
    }
  }

  /** The channel for an escalation: its municipality's, else the region's. */
  async routeFor(gemeente: string | undefined): Promise<ChannelRoute | undefined> {
    const routes = await this.routes();
    return (gemeente ? routes.gemeenten[gemeente] : undefined) ?? routes.region;
  }

  async savePost(post: EscalationPost): Promise<void> {
    await this.storage.write({
      [POST + post.escalationId]: { ...post, eTag: '*' },
      [THREAD + post.activityId]: { escalationId: post.escalationId, eTag: '*' },
    });
  }

  async post(escalationId: string): Promise<EscalationPost | undefined> {
    return (await this.read<EscalationPost>(POST + escalationId))?.value;
  }

  /** The escalation whose card started the thread with this root message id. */
  async postByThread(rootActivityId: string): Promise<EscalationPost | undefined> {
    const link = await this.read<{ escalationId: string }>(THREAD + rootActivityId);
    return link ? this.post(link.value.escalationId) : undefined;
  }

  private async read<T>(key: string): Promise<{ value: T; eTag?: string } | undefined> {
    const item = (await this.storage.read([key]))[key] as (StoreItem & T) | undefined;
    if (!item) return undefined;
    const { eTag, ...value } = item;
    return { value: value as T, eTag };
  }
}
