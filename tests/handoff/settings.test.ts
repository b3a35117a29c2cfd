import { expect } from 'chai';
import { ConfigError, readConfig } from '../../bot/config.js';

describe('handoff settings from the environment', () => {
  it('defaults: a five-minute wait, the built-in console, sessions idle for 30 minutes', () => {
    const config = readConfig({});
    expect(config).to.include({ handoffWaitMinutes: 5, handoffTarget: 'console', staffIdleMinutes: 30 });
  });

  it('reads HANDOFF_WAIT_MINUTES, HANDOFF_TARGET and STAFF_IDLE_MINUTES', () => {
    const config = readConfig({ HANDOFF_WAIT_MINUTES: '2.5', HANDOFF_TARGET: 'event', STAFF_IDLE_MINUTES: '15' });
    expect(config).to.include({ handoffWaitMinutes: 2.5, handoffTarget: 'event', staffIdleMinutes: 15 });
  });

  it('refuses nonsense with a message that names the variable', () => {
    expect(() => readConfig({ HANDOFF_WAIT_MINUTES: 'vijf' })).to.throw(ConfigError, /HANDOFF_WAIT_MINUTES/);
    expect(() => readConfig({ HANDOFF_WAIT_MINUTES: '0' })).to.throw(ConfigError, /HANDOFF_WAIT_MINUTES/);
    expect(() => readConfig({ HANDOFF_TARGET: 'teams' })).to.throw(ConfigError, /HANDOFF_TARGET/);
    expect(() => readConfig({ STAFF_IDLE_MINUTES: '-1' })).to.throw(ConfigError, /STAFF_IDLE_MINUTES/);
  });
});
