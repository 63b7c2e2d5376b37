import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

const root = path.dirname(fileURLToPath(import.meta.url));
// `prisma generate` never runs the schema engine but checks it exists; without this it tries to download one.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, 'prisma/no-schema-engine.sh');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/boussole' },
});
