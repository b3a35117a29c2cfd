import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the service's URL once it listens; rejects when it exits first. */
  url: Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Start the service as a separate process, the way `npm start` does (but from source, via tsx). */
export function startProcess(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/index.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout.push(...chunk.split('\n').filter(Boolean));
      const started = stdout.map((line) => JSON.parse(line) as { url?: string }).find((line) => line.url);
      if (started?.url) resolve(started.url);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stderr.join('')}`)));
  });
  url.catch(() => undefined); // callers that only wait for the exit do not need the URL
  return { child, stdout, stderr, url, exited };
}
