/** The resident's side of the handoff tests: the official Direct Line client, as Web Chat drives it. */
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { DirectLineTestClient } from '../helpers/directline.js';
import type { TestServer } from '../helpers/server.js';

export const isBotMessage = (a: Activity) => a.from?.role === 'bot' && a.type === 'message';

export function wmoTopic(activity: Activity): string {
  const entities = (activity.entities ?? []).filter((e) => e.type === 'wmoTopic');
  expect(entities, `one wmoTopic entity on "${activity.text?.slice(0, 60)}"`).to.have.length(1);
  return (entities[0] as unknown as { topic: string }).topic;
}

/** Send and wait for a bot message (a reply or a proactive one) that matches; every bot message carries its topic. */
export async function say(client: DirectLineTestClient, text: string, until: RegExp): Promise<Activity> {
  const from = client.received.length;
  await client.send(text);
  return botSays(client, until, from);
}

export async function botSays(client: DirectLineTestClient, until: RegExp, from = 0): Promise<Activity> {
  const found = await client.waitFor((a) => isBotMessage(a) && until.test(a.text ?? ''), from);
  for (const a of client.received.filter(isBotMessage)) wmoTopic(a);
  return found;
}

export async function resident(server: TestServer, gemeente = 'GM0406'): Promise<DirectLineTestClient> {
  const client = await DirectLineTestClient.connect(server.url);
  await client.send({ type: 'event', name: 'webchat/join', value: { gemeente } });
  await botSays(client, /digitale assistent/);
  return client;
}

/** Resident asks for a person, consents, and gets a queue place. */
export async function joinQueue(client: DirectLineTestClient): Promise<Activity> {
  const consent = await say(client, 'Ik wil een medewerker spreken', /Wilt u dat\?/);
  expect(consent.text).to.match(/ziet dan dit gesprek/);
  return say(client, 'Ja, verbind mij door', /wachtrij/);
}

