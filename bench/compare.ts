/**
 * One turn scenario, longer than in `npm run bench`, for a steadier ratio while profiling or trying
 * a change: the Wmo bot next to the echo bot, interleaved, as bench/turns.ts measures them.
 *   node --disable-warning=DEP0111 --import tsx bench/compare.ts [polling|websocket|paced] [residents] [turns] [repeats]
 * (defaults: polling 50 20 3; paced: polling with residents' 1–3 s pauses, as the p99 goal is set, e.g.
 * `paced 200 4 3`). BENCH_SERVER_FLAGS works here too, e.g. to profile both bots. A fifth argument
 * puts another kind in the Wmo bot's place, e.g. `polling 50 20 3 echo-dialogs`: the echo bot run
 * through a ComponentDialog, to see what botbuilder-dialogs alone costs a turn.
 */
import { BenchServer, buildServers, compare, type BotKind, type RunFigures } from './turns.js';

const [transport = 'polling', residents = '50', turns = '20', repeats = '3', kind = 'wmo'] = process.argv.slice(2);
if (transport !== 'polling' && transport !== 'websocket' && transport !== 'paced') throw new Error(`transport: polling, websocket or paced, not "${transport}"`);
buildServers();
const servers = { wmo: await BenchServer.start(kind as BotKind), echo: await BenchServer.start('echo') };
try {
  const paced = transport === 'paced';
  const scenario = {
    name: `${paced ? 'polling' : transport}, ${residents} residents, ${turns} turns each${paced ? ', 1–3 s pauses' : ''}`,
    transport: paced ? 'polling' : transport,
    concurrency: Number(residents),
    turns: Number(turns),
    pacing: paced,
  } as const;
  const [c] = await compare([scenario], Number(repeats), servers);
  const figures = (f: RunFigures) => `p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, ${f.turnsPerSecond.toFixed(0)} turns/s, CPU ${f.cpuMsPerTurn.toFixed(2)} ms/turn (GC ${f.gcMsPerTurn.toFixed(2)})`;
  console.log(`${scenario.name}, median of ${repeats}\n  ${kind}:  ${figures(c.wmo)}\n  echo: ${figures(c.echo)}\n  ratio CPU ${c.cpuRatio.toFixed(2)}×, p50 ${c.p50Ratio.toFixed(2)}×`);
} finally {
  await Promise.all([servers.wmo.stop(), servers.echo.stop()]);
}
