import { expect } from 'chai';
import { startTestServer, type TestServer } from '../helpers/server.js';

interface Hit {
  kind: string;
  id: string;
  title: string;
  why: string[];
}

describe('knowledge search API (GET /api/kb/search)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const search = async (params: Record<string, string>) => {
    const response = await fetch(`${server.url}/api/kb/search?${new URLSearchParams(params)}`);
    return { status: response.status, body: (await response.json()) as { results?: Hit[]; error?: { message: string } } };
  };

  it('finds the vrijwilligerscentrale of a municipality, with the reasons it matched', async () => {
    const gemeenten = (await (await fetch(`${server.url}/api/kb/gemeenten`)).json()) as { gemeenten: Array<{ code: string; name: string }> };
    expect(gemeenten.gemeenten.map((g) => g.code)).to.include.members(['GM0406', 'GM1942', 'GM0402']);
    const { status, body } = await search({ q: 'vrijwilligerswerk', gemeente: 'GM0406', kinds: 'service' });
    expect(status).to.equal(200);
    expect(body.results?.length).to.be.greaterThan(0);
    expect(body.results?.every((hit) => hit.kind === 'service')).to.equal(true);
    expect(body.results?.[0].why.length).to.be.greaterThan(0);
  });

  it('tolerates typos the way residents write', async () => {
    const { body } = await search({ q: 'mantlezorg', gemeente: 'GM1942' });
    expect(body.results?.some((hit) => /mantelzorg/i.test(hit.title))).to.equal(true);
  });

  for (const [params, message] of [
    [{ q: '' }, /search text/],
    [{ q: 'hulp', gemeente: 'GM9999' }, /Unknown gemeente/],
    [{ q: 'hulp', topic: 'paspoort' }, /Unknown topic/],
    [{ q: 'hulp', kinds: 'people' }, /kinds/],
    [{ q: 'hulp', limit: '5000' }, /limit/],
  ] as const) {
    it(`answers 400 with a clear message for ${JSON.stringify(params)}`, async () => {
      const { status, body } = await search(params as Record<string, string>);
      expect(status).to.equal(400);
      expect(body.error?.message).to.match(message);
    });
  }
});
