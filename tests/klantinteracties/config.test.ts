/**
 * Configuration per municipality: the region default, a municipality's own API or organisational
 * unit, and clear errors at start-up for settings that cannot work.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startApp } from '../../bot/app.js';
import { ConfigError, readConfig } from '../../bot/config.js';
import { resolveTargets } from '../../bot/klantinteracties/config.js';
import { createContactRegistry, readKlantinteractiesConfig } from '../../bot/klantinteracties/index.js';
import { createLogger } from '../../bot/logger.js';
import { LowdbStorage } from '../../bot/storage/index.js';
import { GEMEENTEN, LOKET_ACTOR, callback, captureLogger } from './helpers.js';

const CODES = GEMEENTEN.map((g) => g.code);
const OTHER_UNIT = '0b8f6f0e-1d2c-4a3b-8c7d-6e5f4a3b2c1d';
const REGION = {
  KLANTINTERACTIES_URL: 'https://openklant.regio.example/klantinteracties/api/v1/',
  KLANTINTERACTIES_TOKEN: 'regio-token',
  KLANTINTERACTIES_ORGANISATORISCHE_EENHEID: LOKET_ACTOR,
};

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('klantinteracties: configuration', () => {
  it('the region default serves every municipality; one may have its own API, another its own unit', () => {
    const targets = resolveTargets(
      readKlantinteractiesConfig({
        ...REGION,
        KLANTINTERACTIES_URL_GM0402: 'https://klant.hilversum.example/klantinteracties/api/v1',
        KLANTINTERACTIES_TOKEN_GM0402: 'hilversum-token',
        KLANTINTERACTIES_ORGANISATORISCHE_EENHEID_GM0402: OTHER_UNIT,
      }),
      CODES,
    );
    expect(targets.get('GM0406')).to.deep.equal({
      gemeente: 'GM0406',
      apiRoot: 'https://openklant.regio.example/klantinteracties/api/v1',
      token: 'regio-token',
      organisatorischeEenheid: LOKET_ACTOR,
    });
    expect(targets.get('GM0402')).to.include({ token: 'hilversum-token', organisatorischeEenheid: OTHER_UNIT });

    const unitOnly = resolveTargets(readKlantinteractiesConfig({ ...REGION, KLANTINTERACTIES_ORGANISATORISCHE_EENHEID_GM0402: OTHER_UNIT }), CODES);
    expect(unitOnly.get('GM0402')).to.include({ token: 'regio-token', organisatorischeEenheid: OTHER_UNIT });
  });

  it('only municipalities with an API are served when there is no region default', () => {
    const targets = resolveTargets(
      readKlantinteractiesConfig({
        KLANTINTERACTIES_URL_GM0406: 'https://openklant.huizen.example/klantinteracties/api/v1',
        KLANTINTERACTIES_TOKEN_GM0406: 't',
        KLANTINTERACTIES_ORGANISATORISCHE_EENHEID_GM0406: LOKET_ACTOR,
      }),
      CODES,
    );
    expect([...targets.keys()]).to.deep.equal(['GM0406']);
  });

  it('says clearly what is wrong', () => {
    const resolve = (env: Record<string, string>) => errorOf(() => resolveTargets(readKlantinteractiesConfig(env), CODES));
    expect(resolve({ KLANTINTERACTIES_URL: 'http://openklant.example/api' })).to.match(/must use https/);
    expect(resolve({ KLANTINTERACTIES_URL: 'openklant' })).to.match(/must be the API root/);
    expect(resolve({ ...REGION, KLANTINTERACTIES_ORGANISATORISCHE_EENHEID: 'Wmo-loket' })).to.match(/uuid of the actor/);
    expect(resolve({ ...REGION, KLANTINTERACTIES_TOKEN: 'Token abc' })).to.match(/without "Token "/);
    expect(resolve({ KLANTINTERACTIES_URL: REGION.KLANTINTERACTIES_URL })).to.match(/TOKEN is not/).and.to.match(/ORGANISATORISCHE_EENHEID is not/);
    expect(resolve({ ...REGION, KLANTINTERACTIES_URL_GM0402: 'https://elders.example/api' })).to.match(/region's token is never sent to another server/);
    expect(resolve({ ...REGION, KLANTINTERACTIES_URL_GM9999: 'https://x.example/api', KLANTINTERACTIES_TOKEN_GM9999: 't', KLANTINTERACTIES_ORGANISATORISCHE_EENHEID_GM9999: OTHER_UNIT })).to.match(
      /GM9999 is not one of the region's municipalities/,
    );
    expect(resolve({ ...REGION, KLANTINTERACTIES_URL_HUIZEN: 'https://x.example/api' })).to.match(/not a CBS municipality code/);
    expect(resolve({ KLANTINTERACTIES_TIMEOUT: '5' })).to.match(/not a setting/);
  });

  it('a bad setting stops the start with a ConfigError (the service prints its message and exits)', async () => {
    expect(() => readConfig({ KLANTINTERACTIES_URL: 'http://openklant.example' })).to.throw(ConfigError, /https/);
    const dataDir = await mkdtemp(join(tmpdir(), 'wmo-klant-config-'));
    try {
      const config = { ...readConfig({ ...REGION, KLANTINTERACTIES_URL_GM0402: 'https://elders.example/api' }), dataDir, port: 0, host: '127.0.0.1' };
      const error = await startApp(config, createLogger('silent')).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).to.be.instanceOf(ConfigError);
      expect(error?.message).to.match(/KLANTINTERACTIES_TOKEN_GM0402/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('not configured: nothing is queued or sent, and it is said once at start-up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wmo-klant-none-'));
    try {
      const logger = captureLogger();
      const registry = createContactRegistry({ config: readKlantinteractiesConfig({}), gemeenten: GEMEENTEN, storage: new LowdbStorage(dir), logger });
      expect(await registry.recordCallback(callback())).to.equal('not-configured');
      expect(await registry.outboxStatus()).to.deep.equal({ configured: false, pending: [], failing: [], sent: [] });
      expect(logger.lines.map((l) => l.msg)).to.deep.equal([
        'KLANTINTERACTIES_URL is not set: handoffs, callback requests and meldingen are not recorded in a Klantinteracties API.',
      ]);
      await registry.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
