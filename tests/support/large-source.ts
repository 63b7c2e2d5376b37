import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A planted fact, its question, and the words that show it was found. */
export const PLANTED = {
  sentence: 'La permanence téléphonique du réseau des Ormeaux répond au 01 64 87 22 90 chaque mardi matin.',
  question: 'À quel numéro joindre la permanence téléphonique du réseau des Ormeaux ?',
  mark: '01 64 87 22 90',
} as const;

const WORDS = (
  'action acteurs agglomération alimentation animation annuel appui associations atelier besoins bilan ' +
  'calendrier collectivité comité commune concertation conseil contrat coordination crèche culture ' +
  'démarche département diagnostic données école éducation élus emploi enfants enquête équipe espace ' +
  'étape évaluation familles financement formation habitants handicap hébergement indicateurs ' +
  'information insertion jeunes logement médiateur mobilisation mobilité montage objectif orientation ' +
  'parcours partenaires participation pilotage plan population prévention priorité programme projet ' +
  'public quartier rapport recensement rencontre réseau ressources réunion santé secteur sensibilisation ' +
  'service social soutien sport structure suivi territoire transport travail usagers ville visite ' +
  'accompagner améliorer analyser construire développer écouter élaborer favoriser identifier informer ' +
  'mesurer mobiliser organiser partager proposer réduire renforcer repérer réunir soutenir valoriser ' +
  'local régional durable commun collectif essentiel partagé prioritaire territorial concret régulier'
).split(' ');

/** A small seeded generator, so that the same size always gives the same text. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A plain-text report of about `bytes` bytes: paragraphs of French-looking sentences built from common
 * words of the field, with PLANTED.sentence in the middle, where nothing else says it.
 */
export function largeText(bytes: number): string {
  const next = random(bytes);
  const pick = () => WORDS[Math.floor(next() * WORDS.length)]!;
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(next() * 12) }, pick).join(' ');
    return `${words[0]!.toUpperCase()}${words.slice(1)}.`;
  };
  const paragraphs: string[] = [];
  let size = 0;
  let planted = false;
  while (size < bytes) {
    const sentences = Array.from({ length: 3 + Math.floor(next() * 5) }, sentence);
    if (!planted && size > bytes / 2) {
      sentences.splice(1, 0, PLANTED.sentence);
      planted = true;
    }
    const paragraph = sentences.join(' ');
    paragraphs.push(paragraph);
    size += Buffer.byteLength(paragraph) + 2;
  }
  return `Rapport d’activité des réseaux locaux\n\n${paragraphs.join('\n\n')}\n`;
}

export async function writeLargeSource(directory: string, bytes: number): Promise<string> {
  const file = path.join(directory, 'rapport-volumineux.txt');
  await writeFile(file, largeText(bytes));
  return file;
}

export interface LargeIngestMeasure {
  bytes: number;
  passages: number;
  /** Wall time of the ingest alone (index built, no database). */
  ingestMs: number;
  /** Peak resident memory of the process that ran it, in MB. */
  peakRssMb: number;
  /** Rank (1 = first) of the passage holding the planted fact for its question, or undefined if not in the top 5. */
  factRank?: number;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'large-ingest-child.ts');
const TSX = path.resolve('node_modules/.bin/tsx');

/**
 * Ingests a generated plain-text file of `bytes` bytes in a process of its own, so its peak memory is the
 * ingest's and nothing else's, then asks the planted question there.
 */
export async function measureLargeIngest(bytes: number): Promise<LargeIngestMeasure> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'boussole-large-'));
  try {
    const sourcesDir = path.join(root, 'sources');
    await mkdir(sourcesDir);
    await writeLargeSource(sourcesDir, bytes);
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(TSX, [CHILD, sourcesDir, path.join(root, 'index')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`mesure d’ingestion en échec (${code}) : ${err}`)),
      );
    });
    return { bytes, ...JSON.parse(stdout) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
