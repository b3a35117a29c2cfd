import { expect } from 'chai';
import { request } from 'node:http';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectLineTestClient } from '../helpers/directline.js';
import { repoRoot, startProcess } from '../helpers/process.js';

const root = repoRoot;

describe('the service as a process', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wmo-process-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('starts with clean output, answers, and shuts down cleanly on SIGTERM', async () => {
    const service = startProcess({ DATA_DIR: dataDir });
    const url = await service.url;
    const client = await DirectLineTestClient.connect(url);
    const answer = await client.ask('hallo');
    expect(answer.text).to.be.a('string');
    client.end();

    const exit = new Promise<number | null>((resolve) => service.child.on('exit', (code) => resolve(code)));
    service.child.kill('SIGTERM');
    expect(await exit).to.equal(0);
    expect(service.stderr.join(''), 'stderr').to.equal('');
    // Every line on stdout is a structured log line: no tips, warnings or stray traces.
    for (const line of service.stdout) expect(() => JSON.parse(line), line).to.not.throw();
    const messages = service.stdout.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages.some((m) => /MicrosoftAppId is not set: \/api\/messages refuses every request/.test(m))).to.equal(true);
    expect(messages.at(-1)).to.equal('Stopped');
  });

  it('on SIGTERM answers a request that was already inside instead of resetting it', async () => {
    const service = startProcess({ DATA_DIR: dataDir });
    const url = await service.url;
    const { conversationId, token } = (await (await fetch(`${url}/api/directline/token`, { method: 'POST' })).json()) as { conversationId: string; token: string };
    const body = JSON.stringify({ type: 'message', text: 'hallo, ben ik op tijd?' });
    // The request is inside the server (headers and half the body sent) when SIGTERM arrives.
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(`${url}/v3/directline/conversations/${conversationId}/activities`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Authorization: `Bearer ${token}` },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        service.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    expect(await answer).to.equal(200);
    expect(await service.exited).to.equal(0);
    expect(service.stderr.join(''), 'stderr').to.equal('');
  });

  it('refuses to start on invalid knowledge data and lists every problem', async () => {
    const kbDir = join(dataDir, 'kb');
    await cp(join(root, 'knowledge', 'data'), kbDir, { recursive: true });
    const municipalities = JSON.parse(await readFile(join(kbDir, 'municipalities.json'), 'utf8')) as Array<Record<string, unknown>>;
    municipalities[0].code = 'Huizen';
    municipalities[1].name = '';
    await writeFile(join(kbDir, 'municipalities.json'), JSON.stringify(municipalities));
    const service = startProcess({ DATA_DIR: dataDir, KB_DIR: kbDir });
    const error = await service.url.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/exited with 1/);
    const stderr = service.stderr.join('');
    expect(stderr).to.match(/could not start/);
    expect(stderr).to.match(/municipalities\.json › Huizen › code/);
    expect(stderr).to.match(/municipalities\.json › GM\d{4} › name/);
  });

  it('refuses to start on a bad setting and says why', async () => {
    const service = startProcess({ DATA_DIR: dataDir, PORT: 'negentig' });
    const error = await service.url.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/exited with 1/);
    expect(service.stderr.join('')).to.match(/PORT must be a port number/);
  });
});
