import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { percentile } from '../bot/cli/support.ts';
import { ingest } from '../ingest/ingest.ts';
import { openKnowledgeBase } from '../knowledge/index.ts';
import { readIndexFiles } from '../knowledge/index-store.ts';
import type { KnowledgeBase } from '../knowledge/types.ts';
import { measureLargeIngest } from '../tests/support/large-source.ts';
import { corpusQueries } from './queries.ts';
import type { BenchOptions, BenchWorkspace, Metric } from './report.ts';

const GNU_TIME = '/usr/bin/time';
const TSX = path.resolve('node_modules/.bin/tsx');

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

async function ingestMetrics(workspace: BenchWorkspace): Promise<Metric[]> {
  const fresh = await timed(() => ingest(workspace));
  const again = await timed(() => ingest(workspace));
  const { documents, passages } = fresh.result;
  return [
    {
      label: `Ingestion complète (${documents} documents, ${passages} passages)`,
      value: fresh.ms,
      unit: 'ms',
    },
    {
      label: `Ingestion sans changement (${again.result.reused} vecteurs réutilisés)`,
      value: again.ms,
      unit: 'ms',
    },
  ];
}

async function latencies(queries: string[], call: (query: string) => Promise<unknown>): Promise<number[]> {
  const measured: number[] = [];
  for (const query of queries) measured.push((await timed(() => call(query))).ms);
  return measured;
}

async function queryMetrics(knowledge: KnowledgeBase, queries: string[]): Promise<Metric[]> {
  // One untimed query warms the JIT and the lazily built structures, as a running server would be.
  await knowledge.answer(queries[0]!);
  const retrieval = await latencies(queries, (query) => knowledge.retrieve(query, 5));
  const answers = await latencies(queries, (query) => knowledge.answer(query, { k: 5 }));
  const count = `${queries.length} requêtes`;
  return [
    { label: `Recherche p50 (${count})`, value: percentile(retrieval, 50), unit: 'ms' },
    {
      label: `Recherche p95 (${count})`,
      value: percentile(retrieval, 95),
      unit: 'ms',
      target: { below: 50 },
    },
    { label: `Réponse extractive p50 (${count})`, value: percentile(answers, 50), unit: 'ms' },
    { label: `Réponse extractive p95 (${count})`, value: percentile(answers, 95), unit: 'ms' },
  ];
}

/** The environment of a user with the default setup: local vectors, no LLM, the bench's index. */
function askEnvironment(workspace: BenchWorkspace): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OPENAI_')));
  return { ...env, DATA_DIR: workspace.dataDir, SOURCES_DIR: workspace.sourcesDir };
}

/** One `ask --json` in a new process: wall time, and peak memory when GNU time is there to tell it. */
async function coldAsk(
  workspace: BenchWorkspace,
  question: string,
): Promise<{ ms: number; maxRssKb?: number }> {
  const memoryFile = path.join(workspace.dataDir, 'ask-memory.txt');
  const withTime = existsSync(GNU_TIME);
  const askArgs = [TSX, 'bot/cli/run.ts', 'ask', '--json', question];
  const [command, ...args] = withTime ? [GNU_TIME, '-f', '%M', '-o', memoryFile, ...askArgs] : askArgs;
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(command!, args, {
        env: askEnvironment(workspace),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    },
  );
  const ms = performance.now() - started;
  if (code !== 0 || typeof JSON.parse(stdout).answer !== 'string')
    throw new Error(`ask a échoué (code ${code}) : ${stderr.trim()}`);
  if (!withTime) return { ms };
  const maxRssKb = Number((await readFile(memoryFile, 'utf8')).trim().split('\n').at(-1));
  await rm(memoryFile, { force: true });
  return { ms, maxRssKb: Number.isFinite(maxRssKb) ? maxRssKb : undefined };
}

async function coldAskMetrics(workspace: BenchWorkspace, question: string, runs: number): Promise<Metric[]> {
  const results: { ms: number; maxRssKb?: number }[] = [];
  for (let run = 0; run < runs; run++) results.push(await coldAsk(workspace, question));
  const times = results.map((result) => result.ms).sort((a, b) => a - b);
  const memories = results.flatMap((result) => (result.maxRssKb ? [result.maxRssKb] : []));
  return [
    { label: `ask à froid, minimum (${runs} lancement(s))`, value: times[0]! / 1000, unit: 's' },
    {
      label: `ask à froid, médiane (${runs} lancement(s))`,
      value: percentile(times, 50) / 1000,
      unit: 's',
      target: { below: 2 },
    },
    {
      label: 'Mémoire maximale d’un ask (processus enfant)',
      value: memories.length ? Math.max(...memories) / 1024 : undefined,
      unit: 'Mo',
    },
  ];
}

/** A generated plain-text file (5 MB, 1 MB in a quick run) ingested alone, with a fact planted in its middle. */
async function largeFileMetrics(options: BenchOptions): Promise<Metric[]> {
  const megabytes = options.quick ? 1 : 5;
  const measure = await measureLargeIngest(megabytes * 1024 * 1024);
  return [
    {
      label: `Ingestion d’un fichier texte de ${megabytes} Mo (${measure.passages} passages)`,
      value: measure.ingestMs / 1000,
      unit: 's',
      target: { below: 10 },
    },
    {
      label: 'Mémoire maximale de cette ingestion',
      value: measure.peakRssMb,
      unit: 'Mo',
      target: { below: 500 },
    },
    {
      label: 'Rang du passage du fait placé au milieu (0 : absent)',
      value: measure.factRank ?? 0,
      unit: '',
      target: { equals: 1 },
    },
  ];
}

/** Ingest of the whole corpus and of a large file, retrieval and answer latency over corpus queries, cold `ask`. */
export async function benchKnowledge(workspace: BenchWorkspace, options: BenchOptions): Promise<Metric[]> {
  const metrics = await ingestMetrics(workspace);
  metrics.push(...(await largeFileMetrics(options)));
  const knowledge = await openKnowledgeBase({ indexDir: workspace.indexDir, embedder: workspace.embedder });
  const { passages } = await readIndexFiles(workspace.indexDir);
  const queries = corpusQueries(passages, options.quick ? 30 : 240);
  metrics.push(...(await queryMetrics(knowledge, queries)));
  metrics.push(...(await coldAskMetrics(workspace, queries[0]!, options.quick ? 1 : 3)));
  return metrics;
}
