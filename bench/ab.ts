/**
 * This build's Wmo bot next to another build's (a copy of an older dist/), interleaved as
 * bench/compare.ts runs the Wmo and echo bots: did a change make the Wmo bot's turn cheaper?
 *   node --disable-warning=DEP0111 --import tsx bench/ab.ts OLD_DIST [polling|websocket] [residents] [turns] [repeats]
 * OLD_DIST: e.g. tmp/dist-old, made with `git stash; npx tsc -p tsconfig.bench.json; cp -r dist tmp/dist-old; git stash pop`
 * (inside the repository, so its imports find node_modules and its data files). BENCH_NEW_DIST runs
 * another build instead of this one as the new side (to measure one change of several).
 */
import { resolve } from 'node:path';
import { BenchServer, buildServers, compare, type RunFigures } from './turns.js';

const [old, transport = 'polling', residents = '50', turns = '20', repeats = '3'] = process.argv.slice(2);
if (!old) throw new Error('usage: bench/ab.ts OLD_DIST [polling|websocket] [residents] [turns] [repeats]');
if (transport !== 'polling' && transport !== 'websocket') throw new Error(`transport: polling or websocket, not "${transport}"`);
buildServers();
// compare() calls them wmo and echo; here both are the Wmo bot: "wmo" is this build, "echo" the old one.
const newScript = process.env.BENCH_NEW_DIST ? resolve(process.env.BENCH_NEW_DIST, 'bench/server.js') : undefined;
const servers = { wmo: await BenchServer.start('wmo', 0, newScript), echo: await BenchServer.start('wmo', 0, resolve(old, 'bench/server.js')) };
try {
  const scenario = { name: `${transport}, ${residents} residents, ${turns} turns each`, transport, concurrency: Number(residents), turns: Number(turns) } as const;
  const [c] = await compare([scenario], Number(repeats), servers);
  const figures = (f: RunFigures) => `p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, ${f.turnsPerSecond.toFixed(0)} turns/s, CPU ${f.cpuMsPerTurn.toFixed(2)} ms/turn (GC ${f.gcMsPerTurn.toFixed(2)})`;
  console.log(`Wmo bot, ${scenario.name}, median of ${repeats}\n  new: ${figures(c.wmo)}\n  old: ${figures(c.echo)}\n  new/old CPU ${c.cpuRatio.toFixed(2)}×, p50 ${c.p50Ratio.toFixed(2)}×`);
} finally {
  await Promise.all([servers.wmo.stop(), servers.echo.stop()]);
}
