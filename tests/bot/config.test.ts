import { expect } from 'chai';
import { ConfigError, readConfig } from '../../bot/config.js';

describe('config: security settings', () => {
  it('has safe defaults: no unsigned requests, no trusted proxies, no other origins', () => {
    const config = readConfig({});
    expect(config.allowUnsignedLocal).to.equal(false);
    expect(config.trustedProxies).to.deep.equal([]);
    expect(config.allowedOrigins).to.deep.equal([]);
    expect(config.directLineConversationsPerAddress).to.equal(20);
    expect(config.directLineMemoryBytes).to.equal(64 * 1024 * 1024);
  });

  it('reads lists and numbers, and says which setting is wrong', () => {
    const config = readConfig({ TRUSTED_PROXIES: '10.0.0.1, 10.0.0.2', ALLOWED_ORIGINS: 'https://www.huizen.nl/', DIRECTLINE_MEMORY_MB: '32' });
    expect(config.trustedProxies).to.deep.equal(['10.0.0.1', '10.0.0.2']);
    expect(config.allowedOrigins).to.deep.equal(['https://www.huizen.nl']);
    expect(config.directLineMemoryBytes).to.equal(32 * 1024 * 1024);
    expect(() => readConfig({ DIRECTLINE_HISTORY: '0' })).to.throw(ConfigError, /DIRECTLINE_HISTORY/);
    expect(() => readConfig({ ALLOW_UNSIGNED_LOCAL: 'ja' })).to.throw(ConfigError, /ALLOW_UNSIGNED_LOCAL/);
    expect(() => readConfig({ ALLOWED_ORIGINS: 'www.huizen.nl' })).to.throw(ConfigError, /ALLOWED_ORIGINS/);
  });
});
