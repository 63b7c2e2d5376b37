import pino from 'pino';
import { loadCliConfig } from '../bot/cli/support.ts';
import { createServer } from '../bot/server.ts';
import { inMemoryDataDir, openDatabase } from '../bot/store/database.ts';
import { LocalEmbedder, openKnowledgeBase } from '../knowledge/index.ts';

/**
 * The server `npm run bench` measures, in its own process as in service: configuration from the
 * environment the bench sets, the bench's index, an in-memory PGlite (or the bench's throwaway
 * PostgreSQL), no LLM, Teams mounted, 127.0.0.1 and a random port. Talks to the bench on stdout:
 * `{"port"}` when ready, `{"maxRssKb"}` once stopped (SIGTERM, or the bench's end of stdin closing).
 */
const config = loadCliConfig();
const logger = pino({ level: 'error', base: { service: 'boussole-bench' } }, pino.destination(2));
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: inMemoryDataDir });
const knowledge = await openKnowledgeBase({ indexDir: config.indexDir, embedder: new LocalEmbedder() });
const server = await createServer({ config, knowledge, repositories: database.repositories, logger });
const { port } = await server.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close();
  await database.close();
  process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
// If the bench dies, its end of the pipe closes: never outlive it.
process.stdin.on('end', () => void stop());
process.stdin.resume();
