import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a Direct Line token grants: one conversation, until it expires. */
export interface TokenGrant {
  conversationId: string;
  userId?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** How often this conversation's token was refreshed (refreshes are capped). */
  refreshes?: number;
}

/** Verified tokens remembered, so a client polling every second costs a map lookup, not an HMAC. */
const VERIFIED_CACHE_SIZE = 10_000;

export const TOKEN_TTL_SECONDS = 30 * 60;

/**
 * Signed, self-contained tokens (payload.signature, HMAC-SHA256). The key is kept in DATA_DIR (or
 * given as DIRECTLINE_TOKEN_KEY, shared by every instance) so tokens stay valid across a restart,
 * and on any instance, and a resident can go on with the same conversation.
 */
export class TokenIssuer {
  private readonly verified = new Map<string, TokenGrant>();

  constructor(private readonly key: Buffer) {}

  /** The configured key (shared by every instance), else the one kept in DATA_DIR. */
  static fromConfig(config: { directLineTokenKey?: string; dataDir: string }): TokenIssuer {
    return config.directLineTokenKey ? new TokenIssuer(Buffer.from(config.directLineTokenKey, 'base64')) : TokenIssuer.fromDataDir(config.dataDir);
  }

  static fromDataDir(dataDir: string): TokenIssuer {
    const file = join(dataDir, 'directline-token.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    return new TokenIssuer(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  issue(conversationId: string, userId?: string, ttlSeconds = TOKEN_TTL_SECONDS, refreshes?: number): { token: string; expires_in: number } {
    const grant: TokenGrant = { conversationId, userId, exp: Math.floor(Date.now() / 1000) + ttlSeconds, ...(refreshes ? { refreshes } : {}) };
    const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, expires_in: ttlSeconds };
  }

  /** The grant, or undefined when the token is malformed, forged or expired. */
  verify(token: string): TokenGrant | undefined {
    const known = this.verified.get(token);
    if (known) {
      if (known.exp > Date.now() / 1000) return known;
      this.verified.delete(token);
      return undefined;
    }
    const grant = this.check(token);
    if (grant) {
      // Only genuine tokens are remembered; the oldest goes first when the cache is full.
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, grant);
    }
    return grant;
  }

  private check(token: string): TokenGrant | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenGrant;
      if (typeof grant.conversationId !== 'string' || typeof grant.exp !== 'number') return undefined;
      Object.freeze(grant); // shared by every request that presents this token
      return grant.exp > Date.now() / 1000 ? grant : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
