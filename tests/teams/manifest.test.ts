import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { buildAppPackage, buildManifest } from '../../bot/teams/appPackage.js';
import { repoRoot } from '../../bot/paths.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed manifest, checked by the schema
type Manifest = Record<string, any>;

const APP_ID = '11111111-2222-4333-8444-555555555555';
const schemaFile = join(repoRoot, 'tests', 'fixtures', 'teams', 'MicrosoftTeams.v1.24.schema.json');

async function validator() {
  // CommonJS packages: under NodeNext their classes sit on `default`.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  return ajv.compile(JSON.parse(await readFile(schemaFile, 'utf8')) as object);
}

/** Width, height and RGBA pixels of an 8-bit RGBA PNG without filters (what appPackage writes). */
function decodePng(data: Uint8Array): { width: number; height: number; pixels: Buffer } {
  const buffer = Buffer.from(data);
  expect(buffer.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
  const width = buffer.readUInt32BE(16);
  const height = buffer.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < buffer.length; ) {
    const length = buffer.readUInt32BE(at);
    if (buffer.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(buffer.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('Teams app package', () => {
  it('writes a zip with manifest.json valid against the official v1.24 schema, and both icons', async () => {
    const files = unzipSync(buildAppPackage({ appId: APP_ID, publicUrl: 'https://chat.huizen.example/', version: '0.1.0' }));
    expect(Object.keys(files).sort()).to.deep.equal(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Manifest;
    const validate = await validator();
    expect(validate(manifest), JSON.stringify(validate.errors, null, 1)).to.equal(true);
    expect(manifest.manifestVersion).to.equal('1.24');
    expect(manifest.bots[0].botId).to.equal(APP_ID);
    expect(manifest.bots[0].scopes).to.deep.equal(['team', 'personal']);
    expect(manifest.webApplicationInfo.id).to.equal(APP_ID);
    expect(manifest.authorization.permissions.resourceSpecific).to.deep.include({ name: 'ChannelMessage.Read.Group', type: 'Application' });
    expect(manifest.validDomains).to.deep.equal(['chat.huizen.example']);

    const color = decodePng(files['color.png']);
    expect([color.width, color.height]).to.deep.equal([192, 192]);
    const outline = decodePng(files['outline.png']);
    expect([outline.width, outline.height]).to.deep.equal([32, 32]);
    // Outline: only white or fully transparent pixels, and some of each.
    const kinds = new Set<string>();
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const at = y * (32 * 4 + 1) + 1 + x * 4;
        const [r, g, b, a] = outline.pixels.subarray(at, at + 4);
        kinds.add(a === 0 ? 'transparent' : r === 255 && g === 255 && b === 255 && a === 255 ? 'white' : 'other');
      }
    }
    expect([...kinds].sort()).to.deep.equal(['transparent', 'white']);
  });

  it('the schema check catches a broken manifest (so the test above can fail)', async () => {
    const manifest = buildManifest({ appId: APP_ID, publicUrl: 'https://chat.huizen.example', version: '0.1.0' }) as Manifest;
    const validate = await validator();
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], scopes: ['team', 'everywhere'] }] })).to.equal(false);
    expect(validate({ ...manifest, accentColor: 'blue' })).to.equal(false);
  });

  it('refuses an app id that is not a GUID and a public URL that is not https, with a clear message', () => {
    expect(() => buildManifest({ appId: '', publicUrl: 'https://a.example', version: '1.0.0' })).to.throw(/MicrosoftAppId must be/u);
    expect(() => buildManifest({ appId: APP_ID, publicUrl: 'http://a.example', version: '1.0.0' })).to.throw(/https/u);
  });

  it('npm run teams:package writes the zip from MicrosoftAppId and PUBLIC_URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wmo-teams-pkg-'));
    try {
      const out = join(dir, 'app.zip');
      const { stdout, stderr } = await promisify(execFile)('npm', ['run', '-s', 'teams:package', '--', '--out', out], {
        cwd: repoRoot,
        env: { ...process.env, MicrosoftAppId: APP_ID, PUBLIC_URL: 'https://chat.huizen.example' },
      });
      expect(stderr).to.equal('');
      expect(stdout).to.contain(out);
      const manifest = JSON.parse(new TextDecoder().decode(unzipSync(await readFile(out))['manifest.json'])) as { id: string };
      expect(manifest.id).to.equal(APP_ID);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
