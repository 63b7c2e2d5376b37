import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fail, loadCliConfig } from '../bot/cli/support.ts';
import { ingest } from '../ingest/ingest.ts';
import { LocalEmbedder } from '../knowledge/index.ts';
import { benchChannels } from './channels.ts';
import { benchDashboard } from './dashboard.ts';
import { benchDigest } from './digest.ts';
import { benchDigestDelivery } from './digest-delivery.ts';
import { benchDocuments } from './documents.ts';
import { benchDrafting } from './drafting.ts';
import { benchKnowledge } from './knowledge.ts';
import { DEFAULT_BENCH_DATABASE_URL, throwawayDatabase } from './postgres.ts';
import {
  type BenchDatabase,
  type BenchOptions,
  type BenchWorkspace,
  formatReport,
  type Metric,
  type MetricSection,
} from './report.ts';

const USAGE = `Usage :
  npm run bench                       (tout : base de connaissances, puis canaux Slack et Teams
                                      sur PGlite puis sur PostgreSQL)
  npm run bench -- --only knowledge   (ingestion, recherche, ask à froid)
  npm run bench -- --only channels    (200 questions de 20 utilisateurs par Slack et par Teams)
  npm run bench -- --only documents   (export Word d’une fiche et d’une convention de 12 actions, import Word)
  npm run bench -- --only dashboard   (XLSX et Gantt de 20 collectivités de 200 tâches, requêtes du
                                      tableau de bord)
  npm run bench -- --only drafting    (50 personnes rédigent une fiche-action à la fois par le chat web,
                                      sur PGlite puis sur PostgreSQL)
  npm run bench -- --only digest      (digests hebdomadaires de 100 collectivités de 30 fiches et 200 tâches)
  npm run bench -- --quick            (essai rapide, peu de requêtes : pas une mesure)
  npm run bench -- --database-url postgresql://…   (serveur PostgreSQL du second volet, par défaut
                                      ${DEFAULT_BENCH_DATABASE_URL} ; le banc y crée sa propre base
                                      et la supprime ensuite ; volet sauté si le serveur ne répond pas)`;

const ONLY = ['knowledge', 'channels', 'documents', 'dashboard', 'drafting', 'digest'] as const;

function parseCommandLine(): BenchOptions {
  try {
    const { values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        'database-url': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) fail(USAGE, 0);
    if (values.only !== undefined && !ONLY.includes(values.only as (typeof ONLY)[number]))
      fail(`--only attend ${ONLY.map((name) => `« ${name} »`).join(', ')}.\n${USAGE}`, 2);
    const databaseUrl = values['database-url'] ?? DEFAULT_BENCH_DATABASE_URL;
    if (!/^postgres(ql)?:\/\//.test(databaseUrl))
      fail(`--database-url doit commencer par postgresql://\n${USAGE}`, 2);
    return { quick: values.quick, only: values.only as BenchOptions['only'], databaseUrl };
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

function header(options: BenchOptions): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'processeur inconnu';
  const mode = options.quick ? ', mode rapide (--quick) : chiffres indicatifs' : '';
  const load = os.loadavg()[0]!.toFixed(1);
  return `Banc d'essai Boussole — ${os.cpus().length} × ${cpu} (charge ${load}), Node ${process.version}, vecteurs locaux, sans LLM${mode}`;
}

const CHANNELS = 'Canaux (serveur local, faux Slack et faux Teams)';
const DRAFTING = 'Rédaction de fiches-actions (chat web, serveur dans le processus du banc)';

/**
 * One measure on PGlite, then on a throwaway PostgreSQL database, or one line saying why not: a section
 * `<title> sur …` for each.
 */
async function onBothDatabases(
  title: string,
  what: string,
  measure: (database: BenchDatabase) => Promise<Metric[]>,
  options: BenchOptions,
): Promise<MetricSection[]> {
  process.stderr.write(`Mesures ${what} sur PGlite…\n`);
  const sections = [
    { title: `${title} sur PGlite (dans le dossier de données)`, metrics: await measure({ name: 'PGlite' }) },
  ];
  const postgres = await throwawayDatabase(options.databaseUrl);
  if ('unreachable' in postgres) {
    const skipped = `${postgres.unreachable} : volet PostgreSQL sauté ; indiquez un serveur avec --database-url.`;
    process.stderr.write(`${skipped}\n`);
    return [...sections, { title: `${title} sur PostgreSQL : ${skipped}`, metrics: [] }];
  }
  process.stderr.write(`Mesures ${what} sur PostgreSQL…\n`);
  try {
    const metrics = await measure({ name: 'PostgreSQL', url: postgres.url });
    return [...sections, { title: `${title} sur PostgreSQL (base jetable)`, metrics }];
  } finally {
    await postgres.drop();
  }
}

/** Measures in a throwaway folder, so the user's own index and database are never touched. */
async function run(options: BenchOptions): Promise<MetricSection[]> {
  const config = loadCliConfig();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boussole-bench-'));
  const workspace: BenchWorkspace = {
    dataDir,
    indexDir: path.join(dataDir, 'index'),
    sourcesDir: config.sourcesDir,
    embedder: new LocalEmbedder(),
  };
  const sections: MetricSection[] = [];
  try {
    const wanted = (name: (typeof ONLY)[number]) => options.only === undefined || options.only === name;
    if (wanted('knowledge')) {
      process.stderr.write('Mesures de la base de connaissances…\n');
      sections.push({ title: 'Base de connaissances', metrics: await benchKnowledge(workspace, options) });
    } else if (wanted('channels')) {
      await ingest(workspace);
    }
    if (wanted('channels')) {
      const measure = (database: BenchDatabase) => benchChannels(workspace, options, database);
      sections.push(...(await onBothDatabases(CHANNELS, 'des canaux Slack et Teams', measure, options)));
    }
    if (wanted('documents')) {
      process.stderr.write('Mesures des documents…\n');
      sections.push({ title: 'Documents Word', metrics: await benchDocuments(options) });
    }
    if (wanted('dashboard')) {
      process.stderr.write('Mesures du tableau de bord…\n');
      sections.push({
        title: 'Tableau de bord (XLSX, Gantt, requêtes)',
        metrics: await benchDashboard(options),
      });
    }
    if (wanted('drafting')) {
      const measure = (database: BenchDatabase) => benchDrafting(options, database, dataDir);
      sections.push(...(await onBothDatabases(DRAFTING, 'de la rédaction de fiches', measure, options)));
    }
    if (wanted('digest')) {
      process.stderr.write('Mesures du digest hebdomadaire…\n');
      sections.push({ title: 'Digest hebdomadaire (PGlite)', metrics: await benchDigest(options) });
      sections.push({ title: 'Digest hebdomadaire : envoi', metrics: await benchDigestDelivery(options) });
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  sections.push({
    title: 'Processus du banc',
    metrics: [{ label: 'Mémoire maximale (maxRSS)', value: maxRssMb, unit: 'Mo' }],
  });
  return sections;
}

const options = parseCommandLine();
const sections = await run(options);
process.stdout.write(`${formatReport(header(options), sections)}\n`);
// Keep-alive sockets of the HTTP clients would otherwise hold the process for a few seconds.
process.exit(0);
