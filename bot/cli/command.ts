import { userInfo } from 'node:os';
import type { IngestResult } from '../../ingest/ingest.ts';
import type { KnowledgeBase } from '../../knowledge/types.ts';
import type { Config } from '../config.ts';
import type { Repositories } from '../core/ports.ts';

/**
 * A command-line command is a function of (argv, context, output) to an exit code. The same function
 * runs in the command's own process when the data folder is free, and inside the running server
 * (through its control endpoint) when the server holds the folder: its output is the same either way.
 */

/** Who typed the command: what must not change when the command runs inside the server. */
export interface Caller {
  /** Relative paths in argv are resolved against it. */
  cwd: string;
  /** Dates are shown in it. */
  timeZone: string;
  /** The OS user name, recorded with the changes an administration command makes. */
  user: string;
}

export interface CommandContext {
  /** The configuration of the process that runs the command (the server's, when it runs there). */
  config: Config;
  caller: Caller;
  /** The database, opened on first use when run on its own; the server's own otherwise. */
  repositories(): Promise<Repositories>;
  /** The knowledge base, built if needed when run on its own; the one the server answers from otherwise. */
  knowledge(): Promise<KnowledgeBase>;
  /**
   * Rebuilds the index from the sources folder and records it in the database. In the server, the
   * knowledge base it answers from is then replaced, and it never runs two of these at once.
   */
  reindex(): Promise<IngestResult>;
}

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The terminal for progress bars, when run on its own in one; absent through the server or a pipe. */
  terminal?: NodeJS.WriteStream;
}

export interface Command {
  /** The name after `npm run`, and what the holder file says while it holds the data folder. */
  name: string;
  run(argv: string[], context: CommandContext, io: CommandIO): Promise<number>;
}

/** Ends a command with a French message on stderr and an exit code (2 for a usage error). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Parses argv with `parse` (node:util parseArgs); a parse error ends the command with the usage, code 2. */
export function parseUsage<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n${usage}`, 2);
  }
}

/** Runs a command, turning a CommandError into its message and code, and anything else into code 1. */
export async function runCommand(
  command: Command,
  argv: string[],
  context: CommandContext,
  io: CommandIO,
): Promise<number> {
  try {
    return await command.run(argv, context, io);
  } catch (error) {
    if (error instanceof CommandError) {
      io.stderr(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`La commande « ${command.name} » a échoué : ${(error as Error)?.message ?? error}\n`);
    return 1;
  }
}

/** The caller of this process. */
export function currentCaller(): Caller {
  return {
    cwd: process.cwd(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    user: osUserName(),
  };
}

/** userInfo() throws for a uid without a name (some containers): the uid is still a trace. */
function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** This process's own streams; the terminal is given to progress bars only when stderr is one. */
export function processIO(): CommandIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    terminal: process.stderr.isTTY ? process.stderr : undefined,
  };
}
