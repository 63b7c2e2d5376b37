import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../config.ts';
import { applyMigrations, createMigration } from './migrations.ts';
import { ensureServerDatabase } from './postgres-server.ts';

const usage = `Usage :
  npm run db:migration -- <nom>   crée une migration depuis prisma/schema.prisma
  npm run db:deploy               applique les migrations à DATABASE_URL, sinon à la base PGlite de DATA_DIR`;

async function create(name: string | undefined): Promise<void> {
  if (!name) throw new Error(`Nom de migration manquant.\n${usage}`);
  const folder = await createMigration(name);
  console.log(
    folder
      ? `Migration créée : prisma/migrations/${folder}/migration.sql`
      : 'Le schéma n’a pas changé : aucune migration créée.',
  );
}

async function deployTo(target: PGlite | string, label: string): Promise<void> {
  const started = performance.now();
  const applied = await applyMigrations(target);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    applied.length
      ? `Migrations appliquées à ${label} (${seconds} s) :\n${applied.map((name) => `  - ${name}`).join('\n')}`
      : `${label} est déjà à jour (${seconds} s).`,
  );
}

async function deploy(): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl) {
    const label = await ensureServerDatabase(config.databaseUrl);
    return deployTo(config.databaseUrl, label);
  }
  const folder = path.join(config.dataDir, 'pglite');
  await mkdir(folder, { recursive: true });
  const pglite = await PGlite.create(folder);
  try {
    await deployTo(pglite, `la base PGlite ${folder}`);
  } finally {
    await pglite.close();
  }
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'create') return create(name);
  if (command === 'deploy') return deploy();
  throw new Error(usage);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
