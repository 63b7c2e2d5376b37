import { setTimeout as sleep } from 'node:timers/promises';
import { ingest } from '../../ingest/ingest.ts';
import type { KnowledgeBase } from '../../knowledge/types.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { forwardCommand } from '../control.ts';
import { isAlive, SERVER_ROLE, tryAcquireDataFolder, WAIT_MS, waitingMessage } from '../data-folder.ts';
import { createEmbedder } from '../knowledge-setup.ts';
import { type Database, openDatabase } from '../store/database.ts';
import { type Command, type CommandContext, type CommandIO, currentCaller, runCommand } from './command.ts';
import { findCommand, unknownCommand } from './commands.ts';
import { createProgressReporter } from './progress.ts';
import { openCliKnowledge } from './support.ts';

/** The context of a command run in its own process, holding the data folder: everything opened on first use. */
function localContext(config: Config, io: CommandIO): { context: CommandContext; close(): Promise<void> } {
  let database: Promise<Database> | undefined;
  let knowledge: Promise<KnowledgeBase> | undefined;
  const openDb = () => {
    database ??= openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    return database;
  };
  return {
    context: {
      config,
      caller: currentCaller(),
      repositories: async () => (await openDb()).repositories,
      knowledge: () => {
        knowledge ??= openCliKnowledge(config, io);
        return knowledge;
      },
      async reindex() {
        const { repositories } = await openDb();
        const progress = createProgressReporter(io.terminal);
        try {
          return await ingest({
            sourcesDir: config.sourcesDir,
            indexDir: config.indexDir,
            embedder: createEmbedder(config),
            metadata: repositories.knowledge,
            onProgress: progress.update,
          });
        } finally {
          progress.stop();
        }
      },
    },
    async close() {
      await (await database?.catch(() => undefined))?.close();
    },
  };
}

async function runLocally(command: Command, argv: string[], config: Config, io: CommandIO) {
  const { context, close } = localContext(config, io);
  try {
    return await runCommand(command, argv, context, io);
  } finally {
    await close();
  }
}

/**
 * Runs `npm run <name> -- argv`: in this process when the data folder is free (holding it meanwhile),
 * in the server when a server holds it. While a command or a dying process holds it, waits, saying so.
 */
export async function runCommandLine(
  name: string | undefined,
  argv: string[],
  io: CommandIO,
): Promise<number> {
  const command = findCommand(name);
  if (!command) return unknownCommand(name ?? '', io);
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    return 2;
  }
  const request = { command: command.name, argv, caller: currentCaller() };
  let told = false;
  for (;;) {
    const attempt = await tryAcquireDataFolder(config.dataDir, { role: command.name }, (error) => {
      io.stderr(
        `Le verrou du dossier de données ${config.dataDir} a été perdu (${error.message}) : ` +
          'la commande s’arrête pour ne rien écraser.\n',
      );
      process.exit(1);
    }).catch((error: Error) => {
      io.stderr(`Dossier de données inaccessible (${config.dataDir}) : ${error.message}\n`);
      return undefined;
    });
    if (!attempt) return 1;
    if ('lease' in attempt) {
      try {
        return await runLocally(command, argv, config, io);
      } finally {
        await attempt.lease.release();
      }
    }
    const holder = attempt.heldBy;
    if (holder?.role === SERVER_ROLE && holder.control && isAlive(holder)) {
      const outcome = await forwardCommand(holder.control, request, io);
      if (outcome !== 'unreachable') return outcome;
    }
    if (!told) io.stderr(`${waitingMessage(config.dataDir, holder)}\n`);
    told = true;
    await sleep(WAIT_MS);
  }
}
