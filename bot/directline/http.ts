import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';

/** Deeper JSON than this is refused before it is parsed: no activity needs it, and walking it recurses. */
export const MAX_JSON_DEPTH = 32;

/** Every refusal in one shape: `{ "error": { "code", "message" } }`, with Retry-After where waiting helps. */
export function fail(res: Response, status: number, code: string, message: string, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) res.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  res.send(status, { error: { code, message } });
}

/**
 * The deepest nesting of arrays and objects in JSON text, counted without parsing (brackets
 * inside strings do not count). Linear, no recursion, so a 100,000-deep body costs nothing.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * Parses a JSON body that restify's bodyReader has read (size-limited): refuses absurd nesting
 * first, then parses. Routes receive the parsed body in req.body.
 */
export function parseJsonBody(req: Request, res: Response, next: (proceed?: false) => void): void {
  const raw = req.body as unknown;
  if (raw === undefined || raw === null || (typeof raw !== 'string' && !Buffer.isBuffer(raw))) return next();
  const text = raw.toString();
  if (text.length === 0) {
    req.body = undefined;
    return next();
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    fail(res, 400, 'BadArgument', `The JSON is nested too deeply (at most ${MAX_JSON_DEPTH} levels).`);
    return next(false);
  }
  try {
    req.body = JSON.parse(text) as unknown;
  } catch (error) {
    fail(res, 400, 'BadArgument', `Invalid JSON: ${(error as Error).message}`);
    return next(false);
  }
  next();
}

/** The socket's address without the IPv4-mapped IPv6 prefix. */
function plain(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

/**
 * The client's address. X-Forwarded-For is believed only when the socket comes from a trusted
 * proxy; then the rightmost address that is not itself a trusted proxy is the client (the part
 * left of it was written by the client and proves nothing).
 */
export function clientAddress(req: Request | IncomingMessage, trustedProxies: readonly string[]): string {
  const socketAddress = plain(req.socket.remoteAddress);
  if (trustedProxies.length === 0 || !trustedProxies.includes(socketAddress)) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => plain(hop.trim())).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isIP(hops[i])) return socketAddress; // garbage in the header: fall back to what we know
    if (!trustedProxies.includes(hops[i])) return hops[i];
  }
  return socketAddress;
}

export function isLoopback(address: string): boolean {
  return address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/**
 * Token buckets per key (a client address, a conversation): `burst` at once, then `perSecond`.
 * Idle full buckets are forgotten, so the map stays as small as the set of active keys.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = Date.now();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {}

  /** Take one token: 0 when allowed, else the seconds until the next token. */
  take(key: string, now = Date.now()): number {
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.perSecond;
  }

  private sweep(now: number): void {
    const refillMs = (this.burst / this.perSecond) * 1000;
    if (now - this.lastSweep < Math.max(refillMs, 10_000)) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= refillMs) this.buckets.delete(key);
  }
}
