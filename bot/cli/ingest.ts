import { parseArgs } from 'node:util';
import { type Command, CommandError, parseUsage } from './command.ts';

const USAGE = `Usage :
  npm run ingest      (reconstruit l’index depuis le dossier des sources ; avec le serveur en marche, c’est lui qui le fait)`;

/** `npm run ingest`: rebuilds the index from the sources folder and records documents in the database. */
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
    io.stdout(
      `Index à jour : ${result.documents} documents, ${result.passages} passages ` +
        `(${result.added} ajoutés, ${result.updated} modifiés, ${result.removed} retirés, ${result.unchanged} inchangés ; ` +
        `${result.embedded} passages vectorisés, ${result.reused} repris du cache) en ${(result.durationMs / 1000).toFixed(1)} s.\n`,
    );
    return 0;
  },
};
