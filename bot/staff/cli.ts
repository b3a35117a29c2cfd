/**
 * Staff accounts for the loket console:
 *   npm run staff -- add NAME --rol medewerker|beheerder --gemeente GM0406[,GM0402] [--naam "Anna"]
 *   npm run staff -- list
 *   npm run staff -- remove NAME
 *   npm run staff -- password NAME
 * Passwords are read from standard input (the first line), never from the command line, where
 * they would end up in the shell history and the process list.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../../knowledge/index.js';
import { loadDotEnv, readConfig } from '../config.js';
import type { Storage } from 'botbuilder';
import { LowdbStorage, createStorage } from '../storage/index.js';
import { StaffError, StaffStore, type Rol } from './accounts.js';

const USAGE = `Gebruik:
  npm run staff -- add NAAM --rol medewerker|beheerder --gemeente GM0406[,GM0402] [--naam "Anna de Vries"]
  npm run staff -- list
  npm run staff -- remove NAAM
  npm run staff -- password NAAM
Het wachtwoord (minstens 10 tekens) komt via standaardinvoer: typ het na de vraag, of geef het door,
bijvoorbeeld: printf '%s\n' "$WACHTWOORD" | npm run staff -- add anna ...`;

async function readPassword(input: NodeJS.ReadableStream): Promise<string> {
  if ((input as NodeJS.ReadStream).isTTY) process.stderr.write('Wachtwoord: ');
  let data = '';
  for await (const chunk of input) {
    data += String(chunk);
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0];
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs one command; returns the lines to print. Throws StaffError for mistakes the user can fix. */
export async function runStaffCommand(args: string[], deps: { dataDir: string; knowledgeDir: string; stdin: NodeJS.ReadableStream; storage?: Storage }): Promise<string[]> {
  // The service's own storage (STORAGE=blobs: the store every instance reads), else the files in DATA_DIR.
  const store = new StaffStore(deps.storage ?? new LowdbStorage(join(deps.dataDir, 'state')));
  const [command, username] = args;
  switch (command) {
    case 'add': {
      if (!username) throw new StaffError(USAGE);
      const rol = option(args, '--rol');
      if (rol !== 'medewerker' && rol !== 'beheerder') throw new StaffError('Kies --rol medewerker of --rol beheerder.');
      const gemeenten = (option(args, '--gemeente') ?? '').split(',').map((g) => g.trim().toUpperCase()).filter(Boolean);
      const kb = await loadKnowledgeBase(deps.knowledgeDir);
      const unknown = gemeenten.filter((g) => !kb.municipality(g));
      if (unknown.length) throw new StaffError(`Onbekende gemeente: ${unknown.join(', ')}. Bekend: ${kb.municipalities.map((m) => `${m.code} (${m.name})`).join(', ')}.`);
      if (rol === 'medewerker' && gemeenten.length === 0) throw new StaffError('Een medewerker werkt voor minstens één gemeente: --gemeente GM0406.');
      const password = await readPassword(deps.stdin);
      const account = await store.add({ username, name: option(args, '--naam'), rol: rol as Rol, gemeenten, password });
      return [`Account ${account.username} (${account.rol}, ${account.gemeenten.join(',') || 'alle gemeenten'}) is aangemaakt.`];
    }
    case 'list': {
      const accounts = await store.list();
      if (accounts.length === 0) return ['Nog geen accounts.'];
      return accounts.map((a) => `${a.username}  ${a.rol}  ${a.gemeenten.join(',') || 'alle gemeenten'}  "${a.name}"${a.lockedUntil && new Date(a.lockedUntil) > new Date() ? '  (geblokkeerd)' : ''}`);
    }
    case 'remove': {
      if (!username) throw new StaffError(USAGE);
      if (!(await store.remove(username))) throw new StaffError(`Er is geen account "${username}".`);
      return [`Account ${username.toLowerCase()} is verwijderd.`];
    }
    case 'password': {
      if (!username) throw new StaffError(USAGE);
      if (!(await store.get(username))) throw new StaffError(`Er is geen account "${username}".`);
      await store.setPassword(username, await readPassword(deps.stdin));
      return [`Het wachtwoord van ${username.toLowerCase()} is gewijzigd.`];
    }
    default:
      throw new StaffError(USAGE);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  loadDotEnv();
  const config = readConfig();
  try {
    const lines = await runStaffCommand(process.argv.slice(2), { dataDir: config.dataDir, knowledgeDir: config.knowledgeDir, stdin: process.stdin, storage: createStorage(config) });
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exit(0);
  } catch (error) {
    if (!(error instanceof StaffError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
