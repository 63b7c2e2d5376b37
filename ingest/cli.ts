import { createProgressReporter } from '../bot/cli/progress.ts';
import { fail, loadCliConfig } from '../bot/cli/support.ts';
import { createEmbedder } from '../bot/knowledge-setup.ts';
import { DatabaseUnavailableError, openDatabase } from '../bot/store/database.ts';
import { ingest } from './ingest.ts';

/** `npm run ingest`: rebuilds the index from the sources folder and records documents in the database. */
const config = loadCliConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(
  (error) => (error instanceof DatabaseUnavailableError ? fail(error.message) : Promise.reject(error)),
);
const progress = createProgressReporter();
try {
  const result = await ingest({
    sourcesDir: config.sourcesDir,
    indexDir: config.indexDir,
    embedder: createEmbedder(config),
    metadata: database.repositories.knowledge,
    onProgress: progress.update,
  });
  progress.stop();
  process.stdout.write(
    `Index à jour : ${result.documents} documents, ${result.passages} passages ` +
      `(${result.added} ajoutés, ${result.updated} modifiés, ${result.removed} retirés, ${result.unchanged} inchangés ; ` +
      `${result.embedded} passages vectorisés, ${result.reused} repris du cache) en ${(result.durationMs / 1000).toFixed(1)} s.\n`,
  );
} catch (error) {
  progress.stop();
  fail(`Ingestion impossible : ${(error as Error).message}`);
} finally {
  await database.close();
}
