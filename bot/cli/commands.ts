import { admin } from './admin.ts';
import { ask } from './ask.ts';
import { type Command, type CommandContext, type CommandIO, runCommand } from './command.ts';
import { dashboard } from './dashboard.ts';
import { digest } from './digest.ts';
import { feedback } from './feedback.ts';
import { fiches } from './fiches.ts';
import { ingest } from './ingest.ts';

/**
 * Every command of `npm run <name>`, run on its own or inside the server by name. A new command is
 * one line here (and its script in package.json: `tsx bot/cli/run.ts <name>`).
 */
export const COMMANDS: Readonly<Record<string, Command>> = Object.fromEntries(
  [ask, feedback, ingest, admin, fiches, dashboard, digest].map((command) => [command.name, command]),
);

export function findCommand(name: string | undefined): Command | undefined {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** Runs a command by name (as the control endpoint receives it); an unknown name gets code 2. */
export function runNamedCommand(
  name: string,
  argv: string[],
  context: CommandContext,
  io: CommandIO,
): Promise<number> {
  const command = findCommand(name);
  return command ? runCommand(command, argv, context, io) : Promise.resolve(unknownCommand(name, io));
}

/** Says which commands exist; exit code 2. */
export function unknownCommand(name: string, io: CommandIO): number {
  io.stderr(`Commande inconnue : « ${name} ». Commandes : ${Object.keys(COMMANDS).join(', ')}.\n`);
  return 2;
}
