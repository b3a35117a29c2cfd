import { BenchServer, compare } from './turns.js';
const wmo = await BenchServer.start('wmo');
const echo = await BenchServer.start('echo');
const r = await compare([{ name: 'p50', transport: 'polling', concurrency: 50, turns: 8 }, { name: 'ws50', transport: 'websocket', concurrency: 50, turns: 8 }], 1, { wmo, echo });
console.log(JSON.stringify(r.map((c) => [c.wmo.cpuMsPerTurn, c.echo.cpuMsPerTurn, c.cpuRatio])));
await Promise.all([wmo.stop(), echo.stop()]);
