/**
 * Reliable sending: the API down for a while, a failure halfway through a record, an answer lost
 * after the API created the object, and a restart in the middle of a record. Every time: nothing
 * lost, nothing twice in the municipality's system.
 */
import { expect } from 'chai';
import { type Fixture, callback, handoff, melding, posts, useFixture, waitFor, waitUntilSent } from './helpers.js';

/** Exactly one of each object a record consists of, per record. */
function expectEachOnce(f: Fixture, counts: Record<string, number>) {
  for (const [collection, count] of Object.entries(counts)) {
    expect(f.stub.objects(collection), collection).to.have.length(count);
  }
}

describe('klantinteracties: the outbox', () => {
  const fixture = useFixture();
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });

  it('the API down for a while: records wait, failures show in the status and the log; then all arrive once', async () => {
    await f.stub.stop();
    await f.registry.recordClosedHandoff(handoff());
    await f.registry.recordCallback(callback());
    await f.registry.recordMelding(melding());

    const status = await waitFor(async () => {
      const s = await f.registry.outboxStatus();
      return s.failing.some((item) => item.attempts >= 3) ? s : undefined;
    }, 'repeated failures');
    expect(status.configured).to.equal(true);
    expect(status.sent).to.deep.equal([]);
    expect(status.failing[0].lastError).to.match(/not reachable/);
    expect(status.failing[0].nextAttemptAt).to.match(/^\d{4}-\d\d-\d\dT/);
    // While the API is down the other records wait for it instead of each hammering it.
    expect([...status.pending, ...status.failing].map((i) => i.reference)).to.have.members(['OVD-2026-7KQ4PM', 'TBV-2026-3HX9RT', 'WMO-2026-ABCDEF']);
    const warnings = f.logger.lines.filter((l) => l.level === 'warn' && /not recorded yet/.test(l.msg ?? ''));
    expect(warnings.length).to.be.greaterThan(1);
    expect(warnings[0].o).to.include({ reference: 'OVD-2026-7KQ4PM' });

    await f.stub.start();
    await waitUntilSent(f.registry, ['OVD-2026-7KQ4PM', 'TBV-2026-3HX9RT', 'WMO-2026-ABCDEF']);
    expectEachOnce(f, { klantcontacten: 3, actoren: 2, actorklantcontacten: 4, onderwerpobjecten: 2, bijlagen: 1, betrokkenen: 3, digitaleadressen: 3, internetaken: 2 });
    const after = await f.registry.outboxStatus();
    expect(after.failing).to.deep.equal([]);
    expect(after.pending).to.deep.equal([]);
  });

  it('a failure halfway continues where it stopped instead of starting over', async () => {
    f.stub.failNext('/internetaken', 503, 2);
    await f.registry.recordCallback(callback());
    await waitUntilSent(f.registry, ['TBV-2026-3HX9RT']);
    expect(posts(f.stub, 'klantcontacten')).to.equal(1);
    expect(posts(f.stub, 'betrokkenen')).to.equal(1);
    expectEachOnce(f, { klantcontacten: 1, betrokkenen: 1, digitaleadressen: 1, internetaken: 1, actorklantcontacten: 1 });
    const [sent] = (await f.registry.outboxStatus()).sent;
    expect(sent.attempts).to.equal(3);
    expect(sent.lastError).to.equal(undefined);
  });

  it('an answer lost after the API created the object: the retry finds it instead of creating it again', async () => {
    f.stub.loseAnswerOfNext('/klantcontacten');
    f.stub.loseAnswerOfNext('/betrokkenen');
    f.stub.loseAnswerOfNext('/actorklantcontacten');
    await f.registry.recordClosedHandoff(handoff());
    await waitUntilSent(f.registry, ['OVD-2026-7KQ4PM']);
    expect(f.stub.requests.filter((r) => r.status === -1)).to.have.length(3);
    expectEachOnce(f, { klantcontacten: 1, betrokkenen: 1, actorklantcontacten: 2, actoren: 2, digitaleadressen: 1, bijlagen: 1 });
  });

  it('a restart in the middle of a record continues without duplicates', async () => {
    f.stub.failNext('/digitaleadressen', 503, 1000);
    await f.registry.recordMelding(melding());
    await waitFor(async () => (await f.registry.outboxStatus()).failing.length === 1, 'the melding to fail halfway');
    await f.registry.stop();
    expect(f.stub.objects('klantcontacten')).to.have.length(1);
    expect(f.stub.objects('internetaken')).to.have.length(0);

    f.stub.clearFailures();
    f.open(); // the service starts again on the same files
    await waitUntilSent(f.registry, ['WMO-2026-ABCDEF']);
    expectEachOnce(f, { klantcontacten: 1, betrokkenen: 1, digitaleadressen: 1, internetaken: 1, actoren: 1, actorklantcontacten: 1 });
    expect(posts(f.stub, 'klantcontacten')).to.equal(1);
  });

  it('a crash between the API creating an object and us storing its uuid: the next start finds it', async () => {
    f.stub.loseAnswerOfNext('/internetaken');
    await f.registry.recordMelding(melding());
    await waitFor(() => f.stub.objects('internetaken').length === 1, 'the interne taak to be created');
    await f.registry.stop(); // gone before it could learn the uuid

    f.open();
    await waitUntilSent(f.registry, ['WMO-2026-ABCDEF']);
    expectEachOnce(f, { klantcontacten: 1, internetaken: 1, betrokkenen: 1 });
  });

  it('a refused token: failing with the API’s answer for the beheerder, nothing created, retried after the fix', async () => {
    await f.registry.stop();
    f.open('verkeerd-token');
    await f.registry.recordCallback(callback());
    const status = await waitFor(async () => {
      const s = await f.registry.outboxStatus();
      return s.failing.length ? s : undefined;
    }, 'the failure');
    expect(status.failing[0].lastError).to.match(/HTTP 401 .*Ongeldige token/);
    expect(f.stub.objects('klantcontacten')).to.deep.equal([]);

    await f.registry.stop();
    f.open(); // the beheerder fixed KLANTINTERACTIES_TOKEN and restarted
    await waitUntilSent(f.registry, ['TBV-2026-3HX9RT']);
    expectEachOnce(f, { klantcontacten: 1, internetaken: 1 });
  });

  it('stop() ends the retries: no request after it', async () => {
    await f.stub.stop();
    await f.registry.recordCallback(callback());
    await waitFor(async () => (await f.registry.outboxStatus()).failing.length === 1, 'a failure');
    await f.registry.stop();
    await f.stub.start();
    const before = f.stub.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(f.stub.requests.length).to.equal(before);
    expect((await f.registry.outboxStatus()).failing.map((i) => i.reference)).to.deep.equal(['TBV-2026-3HX9RT']);
  });
});
