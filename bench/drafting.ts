import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import pino from 'pino';
import { createWebSessions } from '../bot/channels/web-session.ts';
import { percentile } from '../bot/cli/support.ts';
import { loadConfig } from '../bot/config.ts';
import type { FormMarker } from '../bot/core/types.ts';
import { createServer } from '../bot/server.ts';
import { openDatabase } from '../bot/store/database.ts';
import { createTestKnowledgeBase } from '../tests/support/test-knowledge-base.ts';
import type { BenchDatabase, Metric } from './report.ts';

/**
 * The drafting section of `npm run bench`: N people (50; 10 with --quick) each draft a whole fiche-action
 * at the same time through the web chat's POST /api/chat, signed in by their session cookie, each taking
 * two to six seconds to answer each question (a twentieth with --quick). Every answer is their own (their number is in
 * it), with a `retour`, a `passer`, a button click and a correction of the budget on the way. Measured: the
 * time of each form turn (request to reply), and afterwards whether each person's fiche holds exactly their
 * own answers. The server runs in this process over the database measured (PGlite in the bench's data
 * folder, or the throwaway PostgreSQL database), with the test knowledge base: form turns do not search.
 */

const COLLECTIVITES = 5;
const MAX_TURNS = 60;

/** How long a person takes to answer, in ms: drawn evenly in [min, max) for each answer. */
interface Thinking {
  minMs: number;
  maxMs: number;
}
const NO_THINKING: Thinking = { minMs: 0, maxMs: 0 };
/**
 * Two to six seconds an answer is quick for someone typing a fiche (and so a heavy load); with --quick, a
 * twentieth of it. The first message of each person comes within the same span, not all in one millisecond.
 */
const THINKING: Thinking = { minMs: 2_000, maxMs: 6_000 };
const QUICK_THINKING: Thinking = { minMs: 100, maxMs: 300 };

/** A reproducible draw per person (a linear congruential generator): two runs wait the same. */
function thinker(p: number, thinking: Thinking): () => Promise<void> {
  let state = (p + 1) * 2_654_435_761;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const ms = thinking.minMs + (state / 2 ** 31) * (thinking.maxMs - thinking.minMs);
    return ms > 0 ? sleep(ms) : Promise.resolve();
  };
}
const BY = { name: 'banc' };

type Message = { text: string } | { action: { id: string; value: string } };

/** The answer person `p` gives to each field: unique to them wherever the field takes free text. */
function answerOf(p: number, fieldId: string): Message {
  const answers: Record<string, Message> = {
    programme: { text: `Programme du banc ${p}` },
    intitule: { text: `Action ${p} du banc` },
    promoteur: { text: `Structure porteuse ${p}` },
    contact: { text: `Personne ${p}, chargée de projet` },
    partenaires: { text: `CCAS ${p} : orientation des familles` },
    objectif_general: { text: `Objectif général de la personne ${p}` },
    objectif_specifique: { text: `Objectif spécifique de la personne ${p}` },
    objectif_operationnel: { text: `Proposer ${p + 1} ateliers par an` },
    objectif_prs: { action: { id: 'form', value: 'os1' } },
    contenu: { text: `Contenu de l’action de la personne ${p}.` },
    modes_intervention: { text: 'ateliers collectifs' },
    periode: { text: 'du 1er mars au 30 novembre 2027' },
    publics: { text: 'familles' },
    nb_beneficiaires: { text: `environ ${20 + p}` },
    territoire: { text: 'commune' },
    lieux: { text: `centre social ${p}` },
    moyens_humains: { text: 'centre social : 0,5 ETP' },
    budget: { text: `${10_000 + p} €` },
    financements: { text: `ARS ${20_000 + p} €` },
    indicateurs_activite: { text: `Nombre d’ateliers : ${p + 1} (source : émargements)` },
    indicateurs_resultat: {
      text: 'Part des familles qui cuisinent des légumes : 60 % (source : questionnaire)',
    },
    resultats_attendus: { text: `Résultats attendus de la personne ${p}` },
  };
  return answers[fieldId] ?? { text: 'passer' };
}

/** What each person's fiche must hold once drafted, whatever the others did meanwhile. */
function expectedOf(p: number): Record<string, unknown> {
  return {
    programme: `Programme du banc ${p}`,
    intitule: `Action ${p} du banc`,
    promoteur: `Structure porteuse ${p}`,
    contact: `Personne ${p}, chargée de projet`,
    objectif_general: `Objectif général de la personne ${p}`,
    objectif_specifique: `Objectif spécifique de la personne ${p}`,
    contenu: `Contenu de l’action de la personne ${p}.`,
    nb_beneficiaires: { valeur: 20 + p, approximatif: true },
    lieux: [`centre social ${p}`],
    budget: 20_000 + p,
    financements: [{ financeur: 'ARS', montant: 20_000 + p }],
  };
}

interface Drafter {
  personId: string;
  cookie: string;
}

interface DraftRun {
  turnsMs: number[];
  refused: number;
  /** People whose conversation did not reach the recap. */
  unfinished: number;
}

async function draftAll(baseUrl: string, drafters: Drafter[], thinking: Thinking): Promise<DraftRun> {
  const run: DraftRun = { turnsMs: [], refused: 0, unfinished: 0 };
  const turn = async (drafter: Drafter, p: number, message: Message) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: drafter.cookie },
      body: JSON.stringify({ conversationId: `banc-${p}`, userId: `navigateur-${p}`, ...message }),
    });
    const reply = (await response.json()) as { form?: FormMarker };
    run.turnsMs.push(performance.now() - started);
    if (!response.ok) run.refused++;
    return reply.form;
  };
  await Promise.all(
    drafters.map(async (drafter, p) => {
      const think = thinker(p, thinking);
      await think();
      let form = await turn(drafter, p, { text: 'nouvelle fiche-action' });
      const detours = new Set<string>();
      for (let count = 0; count < MAX_TURNS && form?.step === 'question' && form.fieldId; count++) {
        const fieldId = form.fieldId;
        await think();
        // Once each: back from the specific objective (then the general one is answered again), and the
        // budget corrected in one sentence when the funding is asked.
        if (fieldId === 'objectif_specifique' && !detours.has(fieldId)) {
          detours.add(fieldId);
          form = await turn(drafter, p, { text: 'retour' });
        } else if (fieldId === 'financements' && !detours.has(fieldId)) {
          detours.add(fieldId);
          form = await turn(drafter, p, { text: `en fait le budget est de ${20_000 + p} €` });
        } else {
          form = await turn(drafter, p, answerOf(p, fieldId));
        }
      }
      if (form?.step !== 'recap') run.unfinished++;
    }),
  );
  return run;
}

/** People whose fiche is missing, doubled, or holds anything of someone else's; plus fiches nobody drafted. */
async function lostOrMixed(
  repositories: Awaited<ReturnType<typeof openDatabase>>['repositories'],
  drafters: Drafter[],
  collectiviteIds: string[],
): Promise<number> {
  const fiches = await repositories.fiches.list({ collectiviteIds });
  let wrong = 0;
  for (const [p, drafter] of drafters.entries()) {
    const own = fiches.filter((fiche) => fiche.values.intitule === `Action ${p} du banc`);
    const expected = expectedOf(p);
    const holdsOwn =
      own.length === 1 &&
      Object.entries(expected).every(([fieldId, value]) => isDeepStrictEqual(own[0]!.values[fieldId], value));
    const authors = own.length === 1 ? await repositories.fiches.history(own[0]!.id) : [];
    if (!holdsOwn || authors.some((version) => version.author.personId !== drafter.personId)) wrong++;
  }
  return wrong + Math.max(0, fiches.length - drafters.length);
}

/** N people drafting at once on one database; the figures of the report's drafting section. */
export async function benchDrafting(
  options: { quick?: boolean },
  database: BenchDatabase,
  dataDir: string,
): Promise<Metric[]> {
  const people = options.quick ? 10 : 50;
  const db = await openDatabase(
    database.name === 'PostgreSQL'
      ? { databaseUrl: database.url, dataDir }
      : { dataDir: path.join(dataDir, 'redaction') },
  );
  const config = loadConfig({ NODE_ENV: 'development', PUBLIC_URL: 'http://127.0.0.1', DATA_DIR: dataDir });
  const server = await createServer({
    config,
    knowledge: createTestKnowledgeBase(),
    repositories: db.repositories,
    logger: pino({ level: 'error' }, pino.destination(2)),
  });
  try {
    const { port } = await server.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${port}`;
    const { directory } = db.repositories;
    const sessions = createWebSessions({ config, repositories: db.repositories });
    const collectivites = [];
    for (let k = 0; k <= COLLECTIVITES; k++)
      collectivites.push(
        await directory.createCollectivite(
          { name: `Commune fictive n° ${k + 1} (banc)`, kind: 'commune' },
          BY,
        ),
      );
    const [warmUpCollectivite, ...measured] = collectivites;
    const drafter = async (collectiviteId: string, label: string): Promise<Drafter> => {
      const person = await directory.createPerson(
        { displayName: `Référent ${label} (banc)`, email: `referent-${label}@banc.exemple.org` },
        BY,
      );
      await directory.grant({ personId: person.id, role: 'referent', collectiviteId }, BY);
      const cookie = (await sessions.openCookie(person.id)).split(';')[0]!;
      return { personId: person.id, cookie };
    };
    // One fiche first, not counted: JIT, database and connections warm, as in a server in service.
    await draftAll(baseUrl, [await drafter(warmUpCollectivite!.id, 'essai')], NO_THINKING);
    // One after the other: PGlite's one connection would keep 50 transactions waiting past Prisma's limit.
    const drafters: Drafter[] = [];
    for (let p = 0; p < people; p++) drafters.push(await drafter(measured[p % COLLECTIVITES]!.id, String(p)));
    const thinking = options.quick ? QUICK_THINKING : THINKING;
    const started = performance.now();
    const run = await draftAll(baseUrl, drafters, thinking);
    const elapsedS = (performance.now() - started) / 1000;
    const wrong = await lostOrMixed(
      db.repositories,
      drafters,
      measured.map((collectivite) => collectivite.id),
    );
    return [
      {
        label: `Rédaction : tour p50 (${people} personnes, ${thinking.minMs / 1000} à ${thinking.maxMs / 1000} s par réponse)`,
        value: percentile(run.turnsMs, 50),
        unit: 'ms',
      },
      {
        label: 'Rédaction : tour p95',
        value: percentile(run.turnsMs, 95),
        unit: 'ms',
        target: { below: 300 },
      },
      { label: 'Rédaction : tours joués', value: run.turnsMs.length, unit: '' },
      { label: 'Rédaction : tours par seconde', value: run.turnsMs.length / elapsedS, unit: '' },
      {
        label: `Rédaction : fiches inachevées (sur ${people})`,
        value: run.unfinished,
        unit: '',
        target: { equals: 0 },
      },
      {
        label: `Rédaction : fiches perdues ou mélangées (sur ${people})`,
        value: wrong,
        unit: '',
        target: { equals: 0 },
      },
      {
        label: 'Rédaction : requêtes refusées (HTTP ≠ 200)',
        value: run.refused,
        unit: '',
        target: { equals: 0 },
      },
    ];
  } finally {
    await server.close();
    await db.close();
  }
}
