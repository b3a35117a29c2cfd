import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../bot/logger.js';

/** A logger writing into an array of parsed lines. */
function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { lines, logger: createLogger('info', destination) };
}

class RequestFailure extends Error {
  constructor(
    message: string,
    readonly request: { headers: Record<string, string>; url: string },
  ) {
    super(message);
  }
}

describe('logger: no credentials in the log', () => {
  const token = 'eyJjb252ZXJzYXRpb25JZCI6IngifQ.c2lnbmF0dXJlLXNlY3JldA';

  it('hides Authorization headers and bearer tokens in objects, errors and their nested class instances', () => {
    const { lines, logger } = capture();
    const error = new RequestFailure(`GET failed for Bearer ${token}`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      url: `/v3/directline/conversations/abc/stream?t=${token}&watermark=3`,
    });
    logger.error({ err: error, headers: { Authorization: `Bearer ${token}` } }, `Request with Bearer ${token} failed`);
    const output = lines.join('');
    expect(output).to.not.include(token);
    expect(output).to.not.include('c2lnbmF0dXJlLXNlY3JldA');
    expect(output).to.include('application/json');
    expect(output).to.include('watermark=3');
    expect(output).to.include('GET failed');
  });

  it('survives a cyclic or 100,000-deep object without throwing', () => {
    const { lines, logger } = capture();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    let deep: unknown = 'bodem';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => logger.info({ cyclic, deep }, 'odd objects')).to.not.throw();
    expect(lines.join('')).to.include('odd objects');
  });
});
