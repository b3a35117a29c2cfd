import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectLineTestClient } from '../helpers/directline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Start the service as a separate process, the way `npm start` does (but from source, via tsx). */
function startProcess(env: Record<string, string>): { child: ChildProcess; stdout: string[]; stderr: string[]; url: Promise<string> } {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/index.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout.push(...chunk.split('\n').filter(Boolean));
      const started = stdout.map((line) => JSON.parse(line) as { url?: string }).find((line) => line.url);
      if (started?.url) resolve(started.url);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stderr.join('')}`)));
  });
  return { child, stdout, stderr, url };
}

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
    expect(messages.some((m) => /without channel authentication/.test(m))).to.equal(true);
    expect(messages.at(-1)).to.equal('Stopped');
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
