import { parseArgs } from 'node:util';
import { describeSkipped, type IngestResult } from '../../ingest/ingest.ts';
import { type Command, CommandError, parseUsage } from './command.ts';

const USAGE = `Usage :
  npm run ingest      (reconstruit l’index depuis le dossier des sources ; avec le serveur en marche, c’est lui qui le fait)`;

/** The summary printed at the end: counts, then every file left out and why. */
function summary(result: IngestResult): string {
  const lines = [
    `Index à jour : ${result.documents} documents, ${result.passages} passages ` +
      `(${result.added} ajoutés, ${result.updated} modifiés, ${result.removed} retirés, ${result.unchanged} inchangés ; ` +
      `${result.embedded} passages vectorisés, ${result.reused} repris du cache) en ${(result.durationMs / 1000).toFixed(1)} s.`,
  ];
  const count = result.skipped.length;
  if (count > 0) {
    lines.push(
      `${count} ${count > 1 ? 'fichiers ignorés' : 'fichier ignoré'} (corrigez-les ou retirez-les du dossier des sources) :`,
      ...result.skipped.map((source) => `  - ${describeSkipped(source)}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `npm run ingest`: rebuilds the index from the sources folder and records documents in the database.
 * Exits with 0 when documents were indexed, even if some files were left out (they are listed); with 1 when
 * nothing could be indexed, and then the previous index is left as it was.
 */
export const ingest: Command = {
  name: 'ingest',
  async run(argv, context, io) {
    const { values } = parseUsage(USAGE, () =>
      parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h', default: false } } }),
    );
    if (values.help) throw new CommandError(USAGE, 0);
    const result = await context.reindex().catch((error: Error) => {
      throw new CommandError(`Ingestion impossible : ${error.message}`);
    });
    io.stdout(summary(result));
    return 0;
  },
};
