import { SourcesUnusableError } from '../ingest/ingest.ts';
import type { CommandContext } from './cli/command.ts';
import { runNamedCommand } from './cli/commands.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startControlEndpoint } from './control.ts';
import { acquireForServer, DataFolderBusyError } from './data-folder.ts';
import { prepareKnowledge } from './knowledge-setup.ts';
import { createReindexer, LiveKnowledgeBase } from './live-knowledge.ts';
import { createLogger } from './logger.ts';
import { createServer, ListenError } from './server.ts';
import { watchSources } from './sources-watcher.ts';
import { DatabaseUnavailableError, openDatabase } from './store/database.ts';

/**
 * Composition root: configuration, the data folder (held for the whole run), database, knowledge
 * base, one HTTP server for every channel, the control endpoint for commands typed meanwhile, and
 * the watch on the sources folder.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let stop: ((reason: string, code: number) => Promise<void>) | undefined;
  const lease = await acquireForServer(config.dataDir, config.port, {
    onWait: (message) => logger.warn(message),
    onCompromised: (error) => {
      logger.fatal({ err: error }, 'verrou du dossier de données perdu : arrêt, pour ne rien écraser');
      if (stop) void stop('verrou perdu', 1);
      else process.exit(1);
    },
  });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  logger.info(
    { database: config.databaseUrl ? 'postgresql' : 'pglite', migrations: database.appliedMigrations },
    'base de données prête',
  );
  const { repositories } = database;
  const onLlmError = (error: unknown) => logger.warn({ err: error }, 'LLM indisponible : réponse extractive');
  const knowledge = new LiveKnowledgeBase(
    await prepareKnowledge(config, {
      metadata: repositories.knowledge,
      onIngest: (reason) => logger.info({ reason }, 'construction de l’index de recherche'),
      onLlmError,
      onWarning: (message) => logger.warn(message),
    }),
  );
  logger.info(
    {
      documents: knowledge.documents().length,
      llm: Boolean(config.llm),
      embeddings: config.embeddings ? 'openai' : 'local',
    },
    'base de connaissances prête',
  );
  const reindexer = createReindexer({
    config,
    live: knowledge,
    metadata: repositories.knowledge,
    logger,
    onLlmError,
  });
  const server = await createServer({
    config,
    knowledge,
    repositories,
    logger,
    queueTarget: database.queueTarget,
  });
  const { port, host } = await server.listen();
  logger.info(
    { host: host ?? 'toutes les interfaces', port, why: config.listen.reason },
    `écoute sur ${host ?? 'toutes les interfaces'}, port ${port}`,
  );
  const context = (caller: CommandContext['caller']): CommandContext => ({
    config,
    caller,
    repositories: async () => repositories,
    knowledge: async () => knowledge,
    reindex: () => reindexer.reindex(),
  });
  const control = await startControlEndpoint({
    dataDir: config.dataDir,
    logger,
    run: (request, io) => runNamedCommand(request.command, request.argv, context(request.caller), io),
  });
  await lease.update({ port, control: control.socketPath });
  const watcher = watchSources({
    sourcesDir: config.sourcesDir,
    // A failed re-index is logged by the reindexer, and the previous index keeps serving.
    onChange: () => void reindexer.refresh().catch(() => {}),
    onError: (error) => logger.warn({ err: error }, 'surveillance du dossier des sources interrompue'),
  });
  logger.info({ port, url: `http://localhost:${port}/`, slack: Boolean(config.slack) }, 'Boussole est prête');

  let stopping = false;
  stop = async (reason, code) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'arrêt : fin des réponses et des commandes en cours');
    await watcher.close();
    await control.close();
    await reindexer.settled();
    await server.close();
    await database.close();
    await lease.release();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop?.('SIGTERM', 0));
  process.on('SIGINT', () => void stop?.('SIGINT', 0));
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof DataFolderBusyError ||
    error instanceof ListenError ||
    error instanceof SourcesUnusableError
  ) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Démarrage impossible : ${(error as Error)?.stack ?? error}\n`);
  }
  process.exit(1);
});
