/**
 * Loket staff accounts in the storage layer: scrypt password hashes (node:crypto), roles,
 * municipalities, lockout after repeated failures, and whether someone marked themselves
 * available. Passwords and hashes are never logged and never leave this module in an answer.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Storage } from 'botbuilder';
import { Records } from '../handoff/records.js';

export type Rol = 'medewerker' | 'beheerder';

export interface StaffAccount {
  username: string;
  /** Shown to residents: "Anna van het Wmo-loket Huizen". */
  name: string;
  rol: Rol;
  /** CBS codes of the municipalities this person works for (a beheerder sees all). */
  gemeenten: string[];
  password: { salt: string; hash: string; N: number; r: number; p: number };
  failedLogins: number;
  lockedUntil?: string;
  available: boolean;
  /** Last sign of life from a session: availability counts only while a session is alive. */
  lastSeen?: string;
}

/** What the console may see of an account. */
export interface StaffView {
  username: string;
  name: string;
  rol: Rol;
  gemeenten: string[];
  available: boolean;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
export const MIN_PASSWORD_LENGTH = 10;
/** Failed sign-ins in a row before an account is locked, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

const INDEX = 'staff/index';
const key = (username: string) => `staff/account/${username}`;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, derived) => (error ? reject(error) : resolve(derived))),
  );
}

export async function hashPassword(password: string): Promise<StaffAccount['password']> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, SCRYPT);
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), ...SCRYPT };
}

export async function verifyPassword(password: string, stored: StaffAccount['password']): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), { N: stored.N, r: stored.r, p: stored.p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export class StaffError extends Error {}

export function checkUsername(username: string): string {
  const clean = username.trim().toLowerCase();
  if (!USERNAME.test(clean)) throw new StaffError('Een gebruikersnaam heeft 2 tot 40 tekens: kleine letters, cijfers, punt, streepje of liggend streepje.');
  return clean;
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new StaffError(`Een wachtwoord heeft minstens ${MIN_PASSWORD_LENGTH} tekens.`);
}

export function viewOf(account: StaffAccount): StaffView {
  return { username: account.username, name: account.name, rol: account.rol, gemeenten: account.gemeenten, available: account.available };
}

/** Does this person work for that municipality? */
export function servesGemeente(account: Pick<StaffAccount, 'rol' | 'gemeenten'>, gemeente: string): boolean {
  return account.rol === 'beheerder' || account.gemeenten.includes(gemeente);
}

export type LoginResult = { ok: true; account: StaffAccount } | { ok: false; locked: boolean };

export class StaffStore {
  private readonly records: Records;

  constructor(
    storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.records = new Records(storage);
  }

  async add(input: { username: string; name?: string; rol: Rol; gemeenten: string[]; password: string }): Promise<StaffAccount> {
    const username = checkUsername(input.username);
    checkPassword(input.password);
    if (await this.get(username)) throw new StaffError(`Er is al een account "${username}".`);
    const account: StaffAccount = {
      username,
      // Shown to residents and in terminals: no control characters.
      // eslint-disable-next-line no-control-regex
      name: (input.name ?? username).replace(/[\u0000-\u001F\u007F-\u009F]/g, '').trim().slice(0, 60) || username,
      rol: input.rol,
      gemeenten: input.gemeenten,
      password: await hashPassword(input.password),
      failedLogins: 0,
      available: false,
    };
    await this.records.put(key(username), account);
    await this.records.addToIndex(INDEX, username);
    return account;
  }

  async get(username: string): Promise<StaffAccount | undefined> {
    return this.records.get<StaffAccount>(key(username.toLowerCase()));
  }

  async list(): Promise<StaffAccount[]> {
    return this.records.getMany<StaffAccount>((await this.records.index(INDEX)).map(key));
  }

  async remove(username: string): Promise<boolean> {
    const clean = username.toLowerCase();
    if (!(await this.get(clean))) return false;
    await this.records.remove(key(clean));
    await this.records.removeFromIndex(INDEX, clean);
    return true;
  }

  async setPassword(username: string, password: string): Promise<void> {
    checkPassword(password);
    const hash = await hashPassword(password);
    await this.change(username, (a) => ({ ...a, password: hash, failedLogins: 0, lockedUntil: undefined }));
  }

  /**
   * Check a sign-in. A wrong password counts towards the lockout; a locked account is refused
   * even with the right password until the lock ends. Unknown names take as long as known ones.
   */
  async login(username: string, password: string): Promise<LoginResult> {
    const account = USERNAME.test(username.toLowerCase()) ? await this.get(username) : undefined;
    if (!account) {
      await verifyPassword(password, DUMMY); // same work as a real check: no timing hint that the name is unknown
      return { ok: false, locked: false };
    }
    const now = this.now();
    if (account.lockedUntil && new Date(account.lockedUntil) > now) return { ok: false, locked: true };
    if (await verifyPassword(password, account.password)) {
      const fresh = await this.change(account.username, (a) => ({ ...a, failedLogins: 0, lockedUntil: undefined, lastSeen: now.toISOString() }));
      return { ok: true, account: fresh };
    }
    const after = await this.change(account.username, (a) => {
      const failedLogins = a.failedLogins + 1;
      const lock = failedLogins >= MAX_FAILED_LOGINS;
      return { ...a, failedLogins: lock ? 0 : failedLogins, lockedUntil: lock ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : a.lockedUntil };
    });
    return { ok: false, locked: !!after.lockedUntil && new Date(after.lockedUntil) > now };
  }

  async setAvailable(username: string, available: boolean): Promise<StaffAccount> {
    return this.change(username, (a) => ({ ...a, available, lastSeen: this.now().toISOString() }));
  }

  async touch(username: string): Promise<void> {
    await this.change(username, (a) => ({ ...a, lastSeen: this.now().toISOString() }));
  }

  private change(username: string, fn: (account: StaffAccount) => StaffAccount): Promise<StaffAccount> {
    return this.records.update<StaffAccount>(key(username.toLowerCase()), (current) => {
      if (!current) throw new StaffError(`Er is geen account "${username}".`);
      return fn(current);
    });
  }
}

const DUMMY: StaffAccount['password'] = { salt: 'AAAAAAAAAAAAAAAAAAAAAA==', hash: Buffer.alloc(KEY_LENGTH).toString('base64'), ...SCRYPT };
