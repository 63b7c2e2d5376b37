import { ConfigError, loadConfig } from './config.ts';
import { prepareKnowledge } from './knowledge-setup.ts';
import { createLogger } from './logger.ts';
import { createServer } from './server.ts';
import { DatabaseUnavailableError, openDatabase } from './store/database.ts';

/** Composition root: configuration, database, knowledge base, one HTTP server for every channel. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  logger.info(
    { database: config.databaseUrl ? 'postgresql' : 'pglite', migrations: database.appliedMigrations },
    'base de données prête',
  );
  const knowledge = await prepareKnowledge(config, {
    metadata: database.repositories.knowledge,
    onIngest: (reason) => logger.info({ reason }, 'construction de l’index de recherche'),
    onLlmError: (error) => logger.warn({ err: error }, 'LLM indisponible : réponse extractive'),
  });
  logger.info(
    {
      documents: knowledge.documents().length,
      llm: Boolean(config.llm),
      embeddings: config.embeddings ? 'openai' : 'local',
    },
    'base de connaissances prête',
  );
  const server = await createServer({ config, knowledge, repositories: database.repositories, logger });
  const { port } = await server.listen(config.port);
  logger.info({ port, url: `http://localhost:${port}/`, slack: Boolean(config.slack) }, 'Boussole est prête');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'arrêt : fin des réponses en cours');
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Démarrage impossible : ${(error as Error)?.stack ?? error}\n`);
  }
  process.exit(1);
});
