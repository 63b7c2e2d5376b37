import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import { parisDay } from '../../bot/core/calendar.ts';
import { addDays } from '../../bot/core/french/calendar.ts';
import { quarterOf } from '../../bot/core/french/index.ts';
import { PREFIGURATION_TASKS } from '../../bot/features/dashboard/model.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type ChatReply, chatTab, choiceNamed, signIn } from '../support/web-chat.ts';

/**
 * The tableau de bord through the web chat's /api/chat with a signed session, on a real (in-memory PGlite)
 * database: a référent starts from the guide's example tasks, adds a task with the form, marks it done,
 * asks what is due, records a quarterly suivi, and exports the Excel file and the Gantt picture.
 */

let database: Database;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
let server: TestServer<Database['repositories']>;
let demoville: { id: string; name: string };
let camilleId: string;

/** Days in the Europe/Paris calendar, typed as people do (« 03/12/2026 »). */
const today = parisDay(new Date());
const typed = (iso: string) => iso.split('-').reverse().join('/');

beforeAll(async () => {
  [database, knowledge] = await Promise.all([
    openDatabase({ dataDir: inMemoryDataDir }),
    openFixtureKnowledgeBase({ sources: 'corpus' }),
  ]);
  await seedDemo(database.repositories.directory, { name: 'test' });
  demoville = (await database.repositories.directory.findCollectivite('Commune de Démoville (démo)'))!;
  camilleId = (await database.repositories.directory.findPerson('camille.referente@exemple.org'))!.id;
  // The action whose suivi is recorded, with the indicators its suivi reports against.
  const fiche = await database.repositories.fiches.create({
    collectiviteId: demoville.id,
    values: {
      intitule: 'Ateliers cuisine et santé',
      periode: { debut: addDays(today, -100), fin: addDays(today, 200) },
      indicateurs_activite: [{ libelle: 'Nombre d’ateliers réalisés', cible: '10 ateliers' }],
      indicateurs_resultat: [
        { libelle: 'Part des familles qui cuisinent plus de produits frais', cible: '60 %' },
      ],
    },
    changes: [],
    author: { name: 'test' },
  });
  // Validated, its suivi is due this quarter.
  await database.repositories.fiches.commit({
    ficheId: fiche.id,
    expectedVersion: fiche.version,
    values: fiche.values,
    changes: [],
    author: { name: 'test' },
    status: 'validee',
  });
  server = await startTestServer({ knowledge, repositories: database.repositories });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
  await knowledge?.dispose();
});

const expectAsked = (reply: ChatReply, fieldId: string) =>
  expect(reply.form, reply.text).toMatchObject({ fieldId, step: 'question' });

async function download(url: string) {
  const response = await fetch(`${server.baseUrl}${new URL(url).pathname}`);
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('the tableau de bord in the web chat', () => {
  it('keeps the tasks, their states, the due list and the quarterly suivi, and exports them', async () => {
    const camille = chatTab(server, await signIn(server, 'camille.referente@exemple.org'));

    // An empty dashboard offers the guide's example tasks.
    let reply = await camille.say('tableau de bord');
    expect(reply.text).toContain('aucune tâche');
    reply = await camille.click(choiceNamed(reply, 'Partir des tâches d’exemple du guide'));
    expect(reply.text).toContain('4 tâche(s) d’exemple');
    expect(reply.text).toContain('Préfiguration du projet* : 4 tâches (4 à faire)');

    // A task through the form, the intitulé taken from the sentence.
    reply = await camille.say('ajoute une tâche : Diagnostic quantitatif');
    expect(reply.text).toContain('✓ *Étape* : Diagnostic quantitatif');
    expectAsked(reply, 'phase');
    reply = await camille.click(choiceNamed(reply, 'Diagnostic'));
    expectAsked(reply, 'responsable');
    reply = await camille.click(choiceNamed(reply, 'Camille Démo'));
    expectAsked(reply, 'debut');
    reply = await camille.say(typed(addDays(today, 1)));
    expectAsked(reply, 'fin');
    reply = await camille.say(typed(today));
    expect(reply.text).toContain('précède la date de début');
    expectAsked(reply, 'fin');
    reply = await camille.say(typed(addDays(today, 10)));
    expectAsked(reply, 'livrables');
    reply = await camille.say('Rapport de diagnostic');
    expectAsked(reply, 'ficheId');
    reply = await camille.say('passer');
    expectAsked(reply, 'dependDe');
    reply = await camille.click(choiceNamed(reply, /Rencontres avec les acteurs concernés/));
    expect(reply.form).toMatchObject({ step: 'closed' });
    expect(reply.card?.title).toBe('Tâche n° 5 · Diagnostic quantitatif');

    // What is due: the new task, within 14 days.
    reply = await camille.say('qu’est-ce qui arrive à échéance dans 14 jours ?');
    expect(reply.text).toContain('n° 5 · Diagnostic quantitatif — Camille Démo');

    // Marked done, after confirmation.
    reply = await camille.say('la tâche diagnostic quantitatif est terminée');
    expect(reply.text).toContain('Passer la tâche n° 5 « Diagnostic quantitatif »');
    reply = await camille.click(choiceNamed(reply, 'Oui, confirmer'));
    expect(reply.text).toContain('est maintenant à l’état « fait »');
    reply = await camille.say('mes tâches');
    expect(reply.text).toContain('0 ouverte(s) sur 1');

    // A methodology question is still the knowledge base's.
    reply = await camille.say('c’est quoi une tâche de suivi ?');
    expect(reply.form).toBeUndefined();
    expect(reply.feedback).toBeDefined();

    // The quarterly suivi of action 1 is due, and missing: question by question with the guide's labels.
    reply = await camille.say('quels suivis manquent ?');
    expect(reply.text).toContain('• action n° 1 · Ateliers cuisine et santé');
    reply = await camille.click(choiceNamed(reply, 'Suivi n° 1'));
    expect(reply.text).toContain(`Suivi trimestriel de l’action n° 1`);
    expectAsked(reply, 'ressources');
    expect(reply.choices.map((choice) => choice.label)).toEqual(['OUI', 'NON', 'En partie']);
    reply = await camille.click(choiceNamed(reply, 'OUI'));
    expectAsked(reply, 'groupes_cibles');
    reply = await camille.click(choiceNamed(reply, 'En partie'));
    expectAsked(reply, 'groupes_cibles_pourquoi');
    reply = await camille.say('Peu de pères présents');
    expectAsked(reply, 'realisation');
    reply = await camille.say('oui');
    expectAsked(reply, 'objectifs');
    expect(reply.choices.map((choice) => choice.label)).toEqual(['Oui', 'Non', 'Partiellement']);
    reply = await camille.say('partiellement');
    expectAsked(reply, 'objectifs_justification');
    reply = await camille.say('12 familles sur 15 ont suivi tout le cycle');
    expectAsked(reply, 'indicateur_activite_1');
    expect(reply.text).toContain('Valeur prévisionnelle : 10 ateliers');
    reply = await camille.say('8 ateliers');
    expectAsked(reply, 'indicateur_resultat_1');
    reply = await camille.say('55 %');
    expectAsked(reply, 'contribution_cooperation');
    reply = await camille.say('oui');
    reply = await camille.say('Le CCAS et la PMI se rencontrent chaque mois');
    expectAsked(reply, 'contribution_pratiques');
    reply = await camille.say('non');
    expectAsked(reply, 'contribution_ists');
    reply = await camille.say('partiellement');
    reply = await camille.say('passer');
    expectAsked(reply, 'contribution_parcours');
    reply = await camille.say('non');
    for (const [field, answer] of [
      ['freins', 'Peu de disponibilités le soir'],
      ['leviers', 'Le relais des écoles'],
      ['pistes', 'Des ateliers le samedi matin'],
    ]) {
      expectAsked(reply, field!);
      reply = await camille.say(answer!);
    }
    expect(reply.form?.step).toBe('recap');
    reply = await camille.click(choiceNamed(reply, 'Soumettre le suivi'));
    expect(reply.text).toContain('Suivi soumis');
    reply = await camille.say('quels suivis manquent ?');
    expect(reply.text).toContain('Aucun suivi manquant');

    // A second suivi of the same action and quarter opens the first one, at its first unanswered question.
    reply = await camille.say('suivi trimestriel de la fiche 1');
    expectAsked(reply, 'contribution_ists_aspects');
    expect(reply.form?.recordId).toBe(
      (await database.repositories.suivis.list({ collectiviteIds: [demoville.id] }))[0]!.id,
    );
    reply = await camille.say('plus tard');

    // The database holds exactly that.
    const tasks = await database.repositories.tasks.list({ collectiviteIds: [demoville.id] });
    expect(tasks.map((task) => [task.number, task.values.intitule, task.values.etat])).toEqual([
      ...PREFIGURATION_TASKS.map((title, index) => [index + 1, title, 'a_faire']),
      [5, 'Diagnostic quantitatif', 'fait'],
    ]);
    const diagnostic = tasks[4]!;
    expect(diagnostic.values).toEqual({
      intitule: 'Diagnostic quantitatif',
      phase: 'diagnostic',
      responsable: { nom: 'Camille Démo', personId: camilleId },
      debut: addDays(today, 1),
      fin: addDays(today, 10),
      livrables: 'Rapport de diagnostic',
      etat: 'fait',
      dependDe: tasks[0]!.id,
    });
    const history = await database.repositories.tasks.history(diagnostic.id);
    expect(history.map((version) => version.changes.map((change) => change.fieldId))).toEqual([
      ['etat', 'intitule', 'phase'],
      ['responsable'],
      ['debut'],
      ['fin'],
      ['livrables'],
      ['dependDe'],
      ['etat'],
    ]);
    const period = quarterOf(today).id;
    const suivis = await database.repositories.suivis.list({ collectiviteIds: [demoville.id] });
    expect(suivis).toHaveLength(1);
    expect(suivis[0]).toMatchObject({ period, kind: 'trimestriel', status: 'soumis' });
    expect(suivis[0]!.values).toEqual({
      ressources: 'oui',
      groupes_cibles: 'en_partie',
      groupes_cibles_pourquoi: 'Peu de pères présents',
      realisation: 'oui',
      objectifs: 'en_partie',
      objectifs_justification: '12 familles sur 15 ont suivi tout le cycle',
      indicateur_activite_1: '8 ateliers',
      indicateur_resultat_1: '55 %',
      contribution_cooperation: 'oui',
      contribution_cooperation_aspects: 'Le CCAS et la PMI se rencontrent chaque mois',
      contribution_pratiques: 'non',
      contribution_ists: 'en_partie',
      contribution_parcours: 'non',
      freins: 'Peu de disponibilités le soir',
      leviers: 'Le relais des écoles',
      pistes: 'Des ateliers le samedi matin',
    });

    // The Excel file reopens with the same rows.
    reply = await camille.say('exporte le tableau de bord');
    const [xlsx] = reply.files!;
    expect(reply.html).toContain(`href="${xlsx!.url}"`);
    const excel = await download(xlsx!.url);
    expect(excel.type).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(excel.bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Tableau de bord')!;
    const firstCells = Array.from(
      { length: sheet.rowCount },
      (_, index) => sheet.getRow(index + 1).getCell(1).value,
    );
    for (const task of tasks) expect(firstCells).toContain(`${task.number}. ${task.values.intitule}`);
    const suiviSheet = workbook.worksheets[2]!;
    const suiviCells = JSON.stringify(suiviSheet.getSheetValues());
    expect(suiviCells).toContain('Peu de pères présents');

    // The Gantt: a PNG of the expected width.
    reply = await camille.say('gantt');
    const picture = await download(reply.files![0]!.url);
    expect(picture.type).toBe('image/png');
    expect(picture.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(picture.bytes.readUInt32BE(16)).toBe(1200);
    expect(picture.bytes.readUInt32BE(20)).toBeGreaterThan(5 * 24);
  }, 60_000);

  it('opens a task from the dashboard and edits one field, as a new version', async () => {
    const camille = chatTab(server, await signIn(server, 'camille.referente@exemple.org'));
    let reply = await camille.say('tableau de bord');
    reply = await camille.click(choiceNamed(reply, 'Diagnostic'));
    expect(reply.text).toContain('*Diagnostic* · Commune de Démoville (démo) (1) :');
    reply = await camille.click(choiceNamed(reply, 'Tâche n° 5'));
    expect(reply.text).toContain('• État : fait');
    reply = await camille.click(choiceNamed(reply, 'Modifier'));
    expect(reply.form).toMatchObject({ step: 'recap' });
    reply = await camille.say('modifier les livrables');
    expectAsked(reply, 'livrables');
    reply = await camille.say('Rapport de diagnostic et synthèse');
    expect(reply.form).toMatchObject({ step: 'closed' });
    const task = (await database.repositories.tasks.list({ collectiviteIds: [demoville.id] })).find(
      (candidate) => candidate.number === 5,
    )!;
    expect(task.values.livrables).toBe('Rapport de diagnostic et synthèse');
    const last = (await database.repositories.tasks.history(task.id)).at(-1)!;
    expect(last.changes).toEqual([
      { fieldId: 'livrables', before: 'Rapport de diagnostic', after: 'Rapport de diagnostic et synthèse' },
    ]);

    // Taken out after confirmation: its versions stay.
    reply = await camille.say('supprime la tâche validation des orientations');
    expect(reply.text).toContain('Retirer la tâche n° 4 « Validation des orientations-communication »');
    reply = await camille.click(choiceNamed(reply, 'Oui, supprimer'));
    expect(reply.text).toContain('est retirée du tableau de bord');
    const left = await database.repositories.tasks.list({ collectiviteIds: [demoville.id] });
    expect(left.map((remaining) => remaining.number)).toEqual([1, 2, 3, 5]);
  }, 30_000);

  it('takes a task created in this conversation out again on « annuler », its versions kept', async () => {
    const camille = chatTab(server, await signIn(server, 'camille.referente@exemple.org'));
    let reply = await camille.say('nouvelle tâche : Charte de gouvernance');
    reply = await camille.click(choiceNamed(reply, 'Préfiguration du projet'));
    expectAsked(reply, 'responsable');
    const created = (await database.repositories.tasks.list({ collectiviteIds: [demoville.id] })).find(
      (task) => task.values.intitule === 'Charte de gouvernance',
    )!;
    expect(reply.form?.recordId).toBe(created.id);
    reply = await camille.say('annuler');
    expect(reply.form?.step).toBe('confirm');
    reply = await camille.click(choiceNamed(reply, 'Oui, annuler'));
    expect(reply.text).toContain('Tâche retirée du tableau de bord');
    expect(await database.repositories.tasks.get(created.id)).toBeUndefined();
    expect(await database.repositories.tasks.history(created.id)).toHaveLength(1);
  }, 30_000);

  it('lets a coordinator read the dashboards they follow, not change them', async () => {
    const sacha = chatTab(server, await signIn(server, 'sacha.coordination@exemple.org'));
    let reply = await sacha.say('tableau de bord');
    expect(reply.text).toContain('quelle collectivité');
    reply = await sacha.say('où en est Démoville ?');
    expect(reply.text).toContain('*Tableau de bord de Commune de Démoville (démo)*');
    expect(reply.choices.map((choice) => choice.label)).not.toContain('Ajouter une tâche');
    reply = await sacha.say('ajoute une tâche : Réunion du COPIL');
    expect(reply.text).toContain('il faut être référent de la collectivité : vous pouvez consulter');
    reply = await sacha.say('la tâche rencontres avec les acteurs est terminée');
    expect(reply.text).toContain('Pour modifier une tâche, il faut être référent');
    expect(await database.repositories.tasks.list({ collectiviteIds: [demoville.id] })).toHaveLength(4);
  }, 30_000);

  it('reads typed answers to a pending change: « oui », « non », « la deuxième », a question in between', async () => {
    const camille = chatTab(server, await signIn(server, 'camille.referente@exemple.org'));
    const qualitatif = await database.repositories.tasks.create({
      collectiviteId: demoville.id,
      values: { intitule: 'Diagnostic qualitatif', phase: 'diagnostic', etat: 'a_faire' },
      author: { name: 'test' },
    });
    const stateOf = async (id: string) => (await database.repositories.tasks.get(id))!.values.etat;

    // Two tasks match: « la deuxième » picks, then nothing changes before « oui ».
    let reply = await camille.say('la tâche diagnostic est en cours');
    expect(reply.text).toContain('Plusieurs tâches correspondent à « diagnostic »');
    expect(reply.choices.map((choice) => choice.label)).toEqual([
      'n° 5 · Diagnostic quantitatif',
      `n° ${qualitatif.number} · Diagnostic qualitatif`,
    ]);
    reply = await camille.say('la deuxième');
    expect(reply.text).toContain(`Passer la tâche n° ${qualitatif.number} « Diagnostic qualitatif »`);
    expect(reply.form).toMatchObject({ step: 'confirm' });
    expect(await stateOf(qualitatif.id)).toBe('a_faire');

    // A methodology question gets its cited answer; the change stays pending.
    reply = await camille.say('c’est quoi un diagnostic partagé ?');
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.feedback).toBeDefined();
    expect(reply.text).toContain('La question reste en attente');
    expect(reply.text).toContain(`Passer la tâche n° ${qualitatif.number}`);
    expect(await stateOf(qualitatif.id)).toBe('a_faire');

    // Another dashboard command runs, the change still pending.
    reply = await camille.say('mes tâches');
    expect(reply.text).toContain('*Vos tâches*');
    expect(await stateOf(qualitatif.id)).toBe('a_faire');

    // Unclear: asked again in French; then a typed « oui c’est ça » applies it.
    reply = await camille.say('peut-être');
    expect(reply.text).toContain('Je n’ai pas compris. Répondez *oui* pour confirmer');
    reply = await camille.say('oui c’est ça');
    expect(reply.text).toContain('est maintenant à l’état « en cours »');
    expect(reply.form).toMatchObject({ step: 'closed' });
    expect(await stateOf(qualitatif.id)).toBe('en_cours');

    // « non merci » leaves the task as it is, and a later « oui » confirms nothing.
    const rencontres = (await database.repositories.tasks.list({ collectiviteIds: [demoville.id] }))[0]!;
    reply = await camille.say('la tâche rencontres avec les acteurs est terminée');
    expect(reply.text).toContain('Passer la tâche n° 1');
    reply = await camille.say('non merci');
    expect(reply.text).toContain('la tâche reste telle quelle');
    reply = await camille.say('oui');
    expect(reply.text).not.toContain('est maintenant');
    expect(await stateOf(rencontres.id)).toBe('a_faire');

    // « vas-y » to a task named by its number.
    reply = await camille.say('marque la tâche 1 comme faite');
    reply = await camille.say('vas-y');
    expect(reply.text).toContain(
      'la tâche n° 1 « Rencontres avec les acteurs concernés » est maintenant à l’état « fait »',
    );
    expect(await stateOf(rencontres.id)).toBe('fait');
    const history = await database.repositories.tasks.history(rencontres.id);
    expect(history.at(-1)!.changes).toEqual([{ fieldId: 'etat', before: 'a_faire', after: 'fait' }]);
  }, 30_000);
});
