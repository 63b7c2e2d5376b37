import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SourcesUnusableError } from '../../ingest/ingest.ts';
import type { KnowledgeBase } from '../../knowledge/types.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { prepareKnowledge } from '../knowledge-setup.ts';
import { CommandError, type CommandIO, processIO } from './command.ts';
import { createProgressReporter } from './progress.ts';

/** Prints a French error and exits, for the command-line tools. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export function loadCliConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
}

/**
 * The knowledge base for a command-line tool: index built if needed; progress and warnings (a source file
 * left out) on stderr only, so that stdout stays the answer.
 */
export async function openCliKnowledge(config: Config, io: CommandIO = processIO()): Promise<KnowledgeBase> {
  const progress = createProgressReporter(io.terminal);
  try {
    return await prepareKnowledge(config, {
      onIngest: (reason) => io.stderr(`Construction de l'index (${reason})…\n`),
      onProgress: progress.update,
      onLlmError: (error) =>
        io.stderr(
          `Le modèle de langue n’a pas répondu (${(error as Error).message}) : réponse extractive.\n`,
        ),
      onWarning: (message) => {
        progress.stop();
        io.stderr(`${message}\n`);
      },
    });
  } catch (error) {
    if (error instanceof SourcesUnusableError) throw new CommandError(error.message);
    throw error;
  } finally {
    progress.stop();
  }
}

export interface JsonlLine {
  id?: string;
  question?: string;
  [key: string]: unknown;
}

/** Reads a JSON-lines file (relative to `cwd`); a malformed line is reported with its number. */
export async function readJsonl(file: string, cwd = process.cwd()): Promise<JsonlLine[]> {
  let content: string;
  try {
    content = await readFile(path.resolve(cwd, file), 'utf8');
  } catch {
    throw new CommandError(`Fichier introuvable ou illisible : ${file}`, 2);
  }
  return content
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line)
    .map(({ line, number }) => {
      try {
        return JSON.parse(line) as JsonlLine;
      } catch {
        throw new CommandError(`${file}, ligne ${number} : JSON invalide.`, 2);
      }
    });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
