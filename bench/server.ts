import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { loadCliConfig } from '../bot/cli/support.ts';
import { createServer } from '../bot/server.ts';
import { openDatabase } from '../bot/store/database.ts';
import { LocalEmbedder, openKnowledgeBase } from '../knowledge/index.ts';
import type { ServerMemory } from './report.ts';

/**
 * The server `npm run bench` measures, in its own process as in service: configuration from the
 * environment the bench sets, the bench's index, PGlite in the bench's throwaway data folder (or the
 * bench's throwaway PostgreSQL database), no LLM, Teams mounted, 127.0.0.1 and a random port.
 * Talks to the bench on stdout: `{"port", "idle"}` when ready and settled, `{"memory"}` once stopped
 * (SIGTERM, or the bench's end of stdin closing).
 */

/**
 * After start, V8 finishes compiling PGlite's WebAssembly in the background: idle is measured after (a quick
 * run, whose figures are only indicative, waits less).
 */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3_000);
const SAMPLE_MS = 50;
const mb = (bytes: number) => bytes / 1024 / 1024;

const config = loadCliConfig();
const logger = pino({ level: 'error', base: { service: 'boussole-bench' } }, pino.destination(2));
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const knowledge = await openKnowledgeBase({ indexDir: config.indexDir, embedder: new LocalEmbedder() });
const server = await createServer({ config, knowledge, repositories: database.repositories, logger });
const { port } = await server.listen(0, '127.0.0.1');

await sleep(SETTLE_MS);
const usage = process.memoryUsage();
const idle = { rssMb: mb(usage.rss), heapMb: mb(usage.heapUsed), externalMb: mb(usage.external) };
// From here on the bench only sends load: the highest resident size seen is the peak under load.
let loadPeakRss = usage.rss;
const sampler = setInterval(() => {
  loadPeakRss = Math.max(loadPeakRss, process.memoryUsage.rss());
}, SAMPLE_MS);
process.stdout.write(`${JSON.stringify({ port, idle })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(sampler);
  await server.close();
  await database.close();
  const memory: ServerMemory = {
    ...idle,
    loadPeakRssMb: mb(loadPeakRss),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify({ memory })}\n`);
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
// If the bench dies, its end of the pipe closes: never outlive it.
process.stdin.on('end', () => void stop());
process.stdin.resume();
