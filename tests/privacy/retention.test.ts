/**
 * Retention: each kind of stored data is deleted after its days, through the storage layer; the
 * running service purges on a timer that stops with it; `npm run purge` does the same by hand;
 * "verwijder mijn gegevens" deletes one conversation and names the meldingen that are kept.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MemoryStorage } from 'botbuilder';
import { startApp } from '../../bot/app.js';
import { ConfigError, readConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { DEFAULT_RETENTION_DAYS } from '../../bot/retention/policy.js';
import { DIRECTLINE_HISTORY_PREFIX, purgeExpired } from '../../bot/retention/purge.js';
import { ResidentDataDeletion } from '../../bot/retention/erasure.js';
import { schedule } from '../../bot/retention/schedule.js';
import { SAVED_AT } from '../../bot/retention/stamp.js';
import { LowdbStorage } from '../../bot/storage/index.js';
import { MeldingStore } from '../../dialogs/meldingen.js';
import { UnansweredStore } from '../../dialogs/unanswered.js';
import { Chat, TUESDAY_MORNING } from '../dialogs/harness.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-30T12:00:00Z');

/** One of each kind of item, old and new (as seen from `now`), as the service stores them. */
async function fill(storage: LowdbStorage, now = NOW): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  await storage.write({
    'directline/conversations/oud/': { wmo: { gemeente: 'GM0406' }, [SAVED_AT]: ago(2) },
    'directline/conversations/nieuw/': { wmo: { gemeente: 'GM0406' }, [SAVED_AT]: ago(0.5) },
    'msteams/users/oud/': { [SAVED_AT]: ago(3) },
    'directline/conversations/zonder-tijd/': { wmo: {} },
    [`${DIRECTLINE_HISTORY_PREFIX}oud`]: { activities: [], lastActivityAt: Date.parse(ago(2)) },
    'meldingen/WMO-2026-OUD234': { reference: 'WMO-2026-OUD234', createdAt: ago(43) },
    'meldingen/WMO-2026-NIEUW2': { reference: 'WMO-2026-NIEUW2', createdAt: ago(41) },
    'unanswered/c1/0': { text: 'oud', at: ago(31) },
    'unanswered/c1/1': { text: 'nieuw', at: ago(29) },
    'directline-token-key': { note: 'not a kind the purge knows: kept' },
    'handoff/case/afgesloten': { status: 'closed', createdAt: ago(40), endedAt: ago(31) },
    'handoff/case/wacht-nog': { status: 'waiting', createdAt: ago(40) },
    'handoff/callback/TB-2026-GEBELD': { phone: '0612345678', createdAt: ago(40), doneAt: ago(31) },
    'handoff/callback/TB-2026-OPEN12': { phone: '0612345678', createdAt: ago(40) },
  });
  await storage.flush();
  await writeFile(join(storage.dir, `x.json.corrupt-${Date.parse(ago(8))}`), '{');
  await writeFile(join(storage.dir, `y.json.corrupt-${Date.parse(ago(6))}`), '{');
}

async function keys(storage: LowdbStorage): Promise<string[]> {
  return (await storage.list('')).map((item) => item.key);
}

describe('privacy: retention', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmo-retention-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('deletes each kind after its days, keeps the rest, and starts the clock of unstamped state', async () => {
    const storage = new LowdbStorage(join(dir, 'state'));
    await fill(storage);
    const purged = await purgeExpired(storage, DEFAULT_RETENTION_DAYS, NOW);
    expect(purged).to.deep.equal({ conversations: 2, directLine: 1, meldingen: 1, unanswered: 1, corrupt: 1, handoffs: 2, insight: 0, feedback: 0 });
    expect(await keys(storage)).to.have.members([
      'directline/conversations/nieuw/',
      'directline/conversations/zonder-tijd/',
      'meldingen/WMO-2026-NIEUW2',
      'unanswered/c1/1',
      'directline-token-key',
      'handoff/case/wacht-nog',
      'handoff/callback/TB-2026-OPEN12',
    ]);
    expect((await readdir(storage.dir)).filter((name) => name.includes('.corrupt-'))).to.deep.equal([`y.json.corrupt-${NOW.getTime() - 6 * DAY}`]);
    const [legacy] = (await storage.list('directline/conversations/zonder')).map((item) => item.value);
    expect(legacy[SAVED_AT]).to.equal(NOW.toISOString());
    // Its clock started at the first purge: a day and a bit later it goes too.
    const later = await purgeExpired(storage, DEFAULT_RETENTION_DAYS, new Date(NOW.getTime() + 1.1 * DAY));
    expect(later.conversations).to.equal(2);
  });

  it('retention days come from the environment, and a bad value stops the start with a clear error', () => {
    const config = readConfig({ RETENTION_MELDING_DAYS: '14', RETENTION_CONVERSATION_DAYS: '0.5', PURGE_INTERVAL_MINUTES: '5' });
    expect(config.retentionDays).to.deep.equal({ ...DEFAULT_RETENTION_DAYS, meldingen: 14, conversations: 0.5 });
    expect(config.purgeIntervalMinutes).to.equal(5);
    expect(readConfig({ RETENTION_MELDING_DAYS: '' }).retentionDays.meldingen, 'empty means the default').to.equal(42);
    expect(() => readConfig({ RETENTION_UNANSWERED_DAYS: 'nooit' })).to.throw(ConfigError, /RETENTION_UNANSWERED_DAYS must be a positive number/);
    expect(() => readConfig({ RETENTION_CORRUPT_DAYS: '0' })).to.throw(ConfigError);
  });

  it('the bot stamps conversation state, so a purge a day later removes it', async () => {
    const storage = new LowdbStorage(join(dir, 'state'));
    const chat = await Chat.start({ storage, conversationId: 'stamped', gemeente: 'GM0406' });
    await chat.say('Ik wil hulp in het huishouden');
    await storage.flush();
    const [state] = await storage.list('test/conversations/stamped');
    expect(state.value[SAVED_AT]).to.equal(TUESDAY_MORNING.toISOString());
    expect((await purgeExpired(storage, DEFAULT_RETENTION_DAYS, new Date(TUESDAY_MORNING.getTime() + 0.9 * DAY))).conversations).to.equal(0);
    expect((await purgeExpired(storage, DEFAULT_RETENTION_DAYS, new Date(TUESDAY_MORNING.getTime() + 1.1 * DAY))).conversations).to.equal(1);
    expect(await storage.list('test/conversations/')).to.deep.equal([]);
  });

  it('the schedule runs soon, then on every interval, never twice at once, and stop() waits for a running purge', async () => {
    let runs = 0;
    let active = 0;
    let overlapped = false;
    const timer = schedule(async () => {
      runs++;
      active++;
      overlapped ||= active > 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
      active--;
    }, 10);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await timer.stop();
    expect(runs).to.be.at.least(3);
    expect(overlapped).to.equal(false);
    expect(active, 'stop() waited for the running purge').to.equal(0);
    const stoppedAt = runs;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs, 'nothing runs after stop()').to.equal(stoppedAt);
  });

  it('the running service purges on its own and stops the timer when it closes', async function () {
    this.timeout(20_000);
    const storage = new LowdbStorage(join(dir, 'state'));
    await storage.write({
      'meldingen/WMO-2020-OUD234': { reference: 'WMO-2020-OUD234', createdAt: '2020-01-01T00:00:00.000Z' },
      'meldingen/WMO-2026-NIEUW2': { reference: 'WMO-2026-NIEUW2', createdAt: new Date().toISOString() },
    });
    await storage.flush();
    const config = { ...readConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', PURGE_INTERVAL_MINUTES: '0.001' }) };
    const app = await startApp(config, createLogger('silent'));
    try {
      const deadline = Date.now() + 10_000;
      while ((await keys(storage)).includes('meldingen/WMO-2020-OUD234') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await keys(storage)).filter((key) => key.startsWith('meldingen/'))).to.deep.equal(['meldingen/WMO-2026-NIEUW2']);
    } finally {
      await app.close();
    }
    // After close no purge runs any more: an expired item written now stays.
    await storage.write({ 'meldingen/WMO-2020-LAAT23': { reference: 'WMO-2020-LAAT23', createdAt: '2020-01-01T00:00:00.000Z' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await keys(storage)).to.include('meldingen/WMO-2020-LAAT23');
  });

  it('npm run purge deletes from DATA_DIR and says what it deleted, in Dutch', async function () {
    this.timeout(20_000);
    const storage = new LowdbStorage(join(dir, 'state'));
    await fill(storage, new Date());
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/cli/purge.ts'], {
      env: { ...process.env, DATA_DIR: dir, RETENTION_MELDING_DAYS: '42' },
    });
    expect(stderr).to.equal('');
    expect(stdout).to.match(/^Verwijderd uit .*: gesprekken 2, Direct Line-gesprekken 1, meldingen 1, onbeantwoorde vragen 1, beschadigde bestanden 1\.\n/);
    expect(stdout).to.include('meldingen 42');
    expect(await keys(storage)).to.include('directline-token-key');
  });
});

describe('privacy: "verwijder mijn gegevens"', () => {
  it('deletes this conversation\'s state and unanswered questions, names the meldingen the loket keeps, and leaves others alone', async () => {
    const memory: Record<string, string> = {};
    const storage = new MemoryStorage(memory);
    const listing = Object.assign(storage, {
      list: async (prefix: string) =>
        Object.entries(memory)
          .filter(([key, value]) => key.startsWith(prefix) && value !== undefined)
          .map(([key, value]) => ({ key, value: JSON.parse(value) as Record<string, unknown> })),
    });
    const mine = await Chat.start({ storage, conversationId: 'mijn-gesprek', gemeente: 'GM0406' });
    await mine.say('xqzt blorp vrmbl');
    await mine.sayAll('Een melding doen', '1', 'Ik kan niet meer stofzuigen.', 'niets', '1', '1', 'ja', 'E-mail', 'a@b.nl');
    const other = await Chat.start({ storage, conversationId: 'ander-gesprek', gemeente: 'GM0406' });
    await other.say('xqzt blorp vrmbl');
    const [melding] = await listing.list(MeldingStore.PREFIX);

    const result = await new ResidentDataDeletion(listing).forgetConversation({ channelId: 'test', conversationId: 'mijn-gesprek' });
    expect(result).to.deep.equal({ conversationState: true, unanswered: 1, feedback: 0, meldingenKept: [melding.value.reference] });
    const left = (await listing.list('')).map((item) => item.key);
    expect(left.filter((key) => key.includes('mijn-gesprek'))).to.deep.equal([]);
    expect(left).to.include.members(['test/conversations/ander-gesprek/', `${UnansweredStore.PREFIX}ander-gesprek/0`, melding.key]);

    expect(await new ResidentDataDeletion(listing).forgetConversation({ channelId: 'test', conversationId: 'mijn-gesprek' })).to.deep.equal({
      conversationState: false,
      unanswered: 0,
      feedback: 0,
      meldingenKept: [melding.value.reference],
    });
  });
});
