import { parseArgs } from 'node:util';
import { DirectoryConflictError } from '../core/directory.ts';
import type { Repositories } from '../core/ports.ts';
import { ACTIONS, type Action } from './admin-actions.ts';
import { type Command, CommandError, type CommandIO } from './command.ts';

/**
 * `npm run admin -- …`: collectivités, people, roles, channel accounts, the audit log and the demo seed.
 * A pure function of (argv, dependencies, output) to an exit code: 0 done (or nothing to change),
 * 1 refused (unknown, already taken, database unreachable), 2 invalid input.
 */

export interface AdminDeps {
  /** The database, opened on first use: help and input errors need none. */
  repositories(): Promise<Repositories>;
  /** Who typed the command (the OS user name), recorded with every change. */
  operator: string;
  /** Dates are shown in it. */
  timeZone: string;
  /** Base of the web chat's sign-in links. */
  publicUrl: string;
  clock?: () => Date;
}

export type AdminIO = Pick<CommandIO, 'stdout' | 'stderr'>;

export const ADMIN_USAGE = [
  'Usage : npm run admin -- <sous-commande> [options] [--json]',
  '',
  ...Object.values(ACTIONS).flatMap((action) => [`  ${action.usage}`, `      ${action.summary}`]),
  '',
  'Options communes : --json (résultat en JSON, pour les scripts), --help.',
  'Codes de sortie : 0 fait (ou rien à changer), 1 refusé (introuvable, déjà pris, base injoignable), 2 saisie invalide.',
].join('\n');

/** « role add x@y referent » → the action `role add` and the rest of the arguments. */
function findAction(args: string[]): { action: Action; rest: string[] } {
  const [first = '', second = ''] = args;
  const pair = ACTIONS[`${first} ${second}`];
  if (pair) return { action: pair, rest: args.slice(2) };
  const single = ACTIONS[first];
  if (single) return { action: single, rest: args.slice(1) };
  const typed = first.startsWith('-')
    ? ''
    : [first, second].filter((word) => word && !word.startsWith('-')).join(' ');
  throw new CommandError(
    `${typed ? `Sous-commande inconnue : « ${typed} ».` : 'Sous-commande manquante.'}\n\n${ADMIN_USAGE}`,
    2,
  );
}

/** node:util's parse errors are in English: the option they name, in French. */
function parseError(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Option inconnue ici : ${option}`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `L’option ${option} attend une valeur.`;
  return error.message;
}

function parseInput(
  action: Action,
  rest: string[],
): { input: Record<string, string | undefined>; json: boolean } {
  const options = Object.fromEntries(
    (action.options ?? []).map((name) => [name, { type: 'string' as const }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CommandError(
      `${parseError(error as Error & { code?: string })}\nUsage : npm run admin -- ${action.usage}`,
      2,
    );
  }
  const names = action.positionals ?? [];
  if (parsed.positionals.length > names.length) {
    const extra = parsed.positionals.slice(names.length).join(' ');
    throw new CommandError(`Argument(s) en trop : ${extra}\nUsage : npm run admin -- ${action.usage}`, 2);
  }
  if (parsed.positionals.length < names.length) {
    const missing = names
      .slice(parsed.positionals.length)
      .map((name) => `<${name}>`)
      .join(' ');
    throw new CommandError(
      `Argument(s) manquant(s) : ${missing}\nUsage : npm run admin -- ${action.usage}`,
      2,
    );
  }
  const input: Record<string, string | undefined> = {};
  names.forEach((name, i) => {
    input[name] = parsed.positionals[i];
  });
  for (const name of action.options ?? []) input[name] = parsed.values[name] as string | undefined;
  return { input, json: parsed.values.json === true };
}

export async function runAdmin(args: string[], deps: AdminDeps, io: AdminIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${ADMIN_USAGE}\n`);
    return 0;
  }
  try {
    const { action, rest } = findAction(args);
    const { input, json } = parseInput(action, rest);
    const output = await action.run(input, {
      directory: async () => (await deps.repositories()).directory,
      settings: async () => (await deps.repositories()).settings,
      publicUrl: deps.publicUrl,
      now: deps.clock ?? (() => new Date()),
      by: { name: `admin (ligne de commande) — ${deps.operator}` },
      timeZone: deps.timeZone,
    });
    io.stdout(json ? `${JSON.stringify(output.json)}\n` : `${output.text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      io.stderr(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof DirectoryConflictError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    io.stderr(`La commande admin a échoué : ${(error as Error)?.message ?? error}\n`);
    return 1;
  }
}

/** `npm run admin`, run on its own or inside the server that holds the data folder. */
export const admin: Command = {
  name: 'admin',
  run: (argv, context, io) =>
    runAdmin(
      argv,
      {
        repositories: context.repositories,
        operator: context.caller.user,
        timeZone: context.caller.timeZone,
        publicUrl: context.config.publicUrl,
      },
      io,
    ),
};
