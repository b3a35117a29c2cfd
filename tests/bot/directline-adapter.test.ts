import { expect } from 'chai';
import { ConversationState, MemoryStorage, type Activity, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import { DirectLineAdapter } from '../../bot/directline/adapter.js';

describe('DirectLineAdapter (the embedded channel’s last hop)', () => {
  const activity = (text: string): Activity =>
    ({
      type: 'message',
      text,
      channelId: 'directline',
      serviceUrl: 'http://127.0.0.1:1/v3/directline',
      conversation: { id: 'c1' },
      from: { id: 'u1', role: 'user' },
      recipient: { id: 'bot', role: 'bot' },
    }) as Activity;

  it('delivers replies into the conversation and builds its connector and token clients once, not per turn', async () => {
    const delivered: string[] = [];
    const adapter = new DirectLineAdapter((replies) =>
      replies.map((reply) => {
        delivered.push(reply.text ?? '');
        return { id: String(delivered.length) };
      }),
    );
    const seen: Array<{ connector: unknown; tokens: unknown; identity: unknown }> = [];
    const logic = async (context: TurnContext) => {
      seen.push({
        connector: context.turnState.get(adapter.ConnectorClientKey),
        tokens: context.turnState.get(adapter.UserTokenClientKey),
        identity: context.turnState.get(adapter.BotIdentityKey),
      });
      await context.sendActivity(`echo: ${context.activity.text}`);
    };
    await adapter.processActivityDirect('', activity('een'), logic);
    await adapter.processActivityDirect('', activity('twee'), logic);

    expect(delivered).to.deep.equal(['echo: een', 'echo: twee']);
    expect(seen[0].connector).to.be.an('object');
    expect(seen[1].connector).to.equal(seen[0].connector);
    expect(seen[1].tokens).to.equal(seen[0].tokens);
    expect(seen[1].identity).to.equal(seen[0].identity);
  });

  it('delivers a turn’s replies together and in order; a delay splits them, a trace is not delivered, each gets its own id', async () => {
    const deliveries: string[][] = [];
    const adapter = new DirectLineAdapter((replies) => {
      deliveries.push(replies.map((reply) => reply.text ?? ''));
      return replies.map((reply) => ({ id: `id-${reply.text}` }));
    });
    let responses: Array<{ id: string }> = [];
    await adapter.processActivityDirect('', activity('vraag'), async (context) => {
      responses = await context.sendActivities([
        { type: 'message', text: 'een' },
        { type: 'trace', name: 'debug' },
        { type: 'message', text: 'twee' },
        { type: 'delay', value: 5 },
        { type: 'message', text: 'drie' },
      ]);
    });
    expect(deliveries).to.deep.equal([['een', 'twee'], ['drie']]);
    expect(responses.map((r) => r.id)).to.deep.equal(['id-een', '', 'id-twee', '', 'id-drie']);
  });

  it('builds the dialogs’ memory scopes once, and they still read each turn’s own state', async () => {
    const adapter = new DirectLineAdapter((replies) => replies.map(() => ({ id: '1' })));
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
    const seen: Array<{ configuration: unknown; text: unknown }> = [];
    const logic = async (context: TurnContext) => {
      const dc = await dialogs.createContext(context);
      seen.push({ configuration: dc.state.configuration, text: dc.state.getValue('turn.activity.text') });
    };
    await adapter.processActivityDirect('', activity('een'), logic);
    await adapter.processActivityDirect('', activity('twee'), logic);

    expect(seen[1].configuration).to.equal(seen[0].configuration);
    expect(seen.map((s) => s.text)).to.deep.equal(['een', 'twee']);
  });
});
