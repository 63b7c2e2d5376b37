import type { AuthorRef } from '../../../bot/core/people.ts';
import type { Task, TaskValues } from '../../../bot/features/dashboard/model.ts';
import type { Fiche, FicheStatus } from '../../../bot/features/fiches/model.ts';
import type { Database } from '../../../bot/store/database.ts';

/**
 * A week of activity (2026-W48, Monday 23 to Sunday 29 November 2026) in four collectivités, each write
 * dated where it belongs: the database stamps versions with its own clock, so every write is re-dated
 * right after it is made.
 */

export const WEEK = '2026-W48';
/** Monday 30 November 2026, 09:00 in Paris: when the digest of week 48 goes out. */
export const NOW = new Date('2026-11-30T08:00:00Z');

const admin = { name: 'admin (ligne de commande) — test' };

export interface SeededWeek {
  people: { claire: string; remi: string; bruno: string; dora: string; nobody: string };
  collectivites: { avon: string; breau: string; champagne: string; dammarie: string };
  fiches: Record<'avon1' | 'avon2' | 'avon3' | 'breau1' | 'dammarie1', Fiche>;
  tasks: Record<'diagnostic' | 'copil' | 'questionnaire' | 'later', Task>;
  suiviBreau: string;
}

export async function seedWeek(database: Database): Promise<SeededWeek> {
  const { directory, fiches, tasks, suivis, interactions, feedback } = database.repositories;
  const { prisma } = database;
  // Writes made now are stamped after this; each is moved to its day once made.
  const fresh = new Date(Date.now() - 1_000);
  const dated = async <T>(instant: string, write: () => Promise<T>): Promise<T> => {
    const result = await write();
    const at = new Date(instant);
    await prisma.$executeRaw`UPDATE record_versions SET created_at = ${at} WHERE created_at >= ${fresh}`;
    await prisma.$executeRaw`UPDATE interactions SET created_at = ${at} WHERE created_at >= ${fresh}`;
    await prisma.$executeRaw`UPDATE feedback SET updated_at = ${at} WHERE updated_at >= ${fresh}`;
    return result;
  };

  const person = (displayName: string) => directory.createPerson({ displayName }, admin);
  const [claire, remi, bruno, dora, nobody] = await Promise.all(
    ['Claire Coordination', 'Rémi Référent', 'Bruno Référent', 'Dora Coordination', 'Personne Sansrôle'].map(
      person,
    ),
  );
  const collectivite = (name: string) => directory.createCollectivite({ name, kind: 'commune' }, admin);
  const avon = await collectivite('Avon');
  const breau = await collectivite('Bréau');
  const champagne = await collectivite('Champagne-sur-Seine');
  const dammarie = await collectivite('Dammarie-lès-Lys');
  for (const id of [avon.id, breau.id, champagne.id]) {
    await directory.grant({ personId: claire!.id, role: 'coordinateur', collectiviteId: id }, admin);
  }
  await directory.grant({ personId: dora!.id, role: 'coordinateur', collectiviteId: dammarie.id }, admin);
  await directory.grant({ personId: remi!.id, role: 'referent', collectiviteId: avon.id }, admin);
  await directory.grant({ personId: bruno!.id, role: 'referent', collectiviteId: breau.id }, admin);
  const by = (p: { id: string; displayName: string }): AuthorRef => ({ personId: p.id, name: p.displayName });
  const asClaire = by(claire!);
  const asRemi = by(remi!);
  const asBruno = by(bruno!);

  const create = (collectiviteId: string, values: Record<string, unknown>, author: AuthorRef) =>
    fiches.create({ collectiviteId, values, changes: [], author });
  async function commit(
    fiche: Fiche,
    author: AuthorRef,
    change: { status?: FicheStatus; note?: string; values?: Record<string, unknown> },
  ) {
    const values = { ...fiche.values, ...change.values };
    const result = await fiches.commit({
      ficheId: fiche.id,
      expectedVersion: fiche.version,
      values,
      changes: Object.entries(change.values ?? {}).map(([fieldId, after]) => ({
        fieldId,
        before: fiche.values[fieldId],
        after,
      })),
      author,
      status: change.status,
      note: change.note,
    });
    if (!result.ok) throw new Error('conflit inattendu');
    return result.fiche;
  }

  // Avon: one fiche submitted then validated this week, one created, one sent back then edited.
  const running = { debut: '2026-03-01', fin: '2027-12-31' };
  let avon1 = await dated('2026-11-10T10:00:00Z', () =>
    create(avon.id, { intitule: 'Ateliers cuisine', periode: running }, asRemi),
  );
  avon1 = await dated('2026-11-24T10:00:00Z', () => commit(avon1, asRemi, { status: 'soumise' }));
  avon1 = await dated('2026-11-26T15:00:00Z', () => commit(avon1, asClaire, { status: 'validee' }));
  let avon2 = await dated('2026-11-25T09:00:00Z', () =>
    create(avon.id, { intitule: 'Marche santé' }, asRemi),
  );
  avon2 = await dated('2026-11-25T09:30:00Z', () => commit(avon2, asRemi, { values: { public: 'Seniors' } }));
  let avon3 = await dated('2026-10-01T09:00:00Z', () =>
    create(avon.id, { intitule: 'Jardins partagés' }, asRemi),
  );
  avon3 = await dated('2026-10-02T09:00:00Z', () => commit(avon3, asRemi, { status: 'soumise' }));
  avon3 = await dated('2026-11-27T09:00:00Z', () =>
    commit(avon3, asClaire, { status: 'a_revoir', note: 'Préciser le budget' }),
  );
  avon3 = await dated('2026-11-28T09:00:00Z', () => commit(avon3, asRemi, { values: { budget: 1200 } }));

  const task = (values: Partial<TaskValues> & { intitule: string }) =>
    tasks.create({
      collectiviteId: avon.id,
      values: { phase: 'mise_en_oeuvre', etat: 'a_faire', ...values },
      author: asRemi,
    });
  const owner = { nom: remi!.displayName, personId: remi!.id };
  let diagnostic = await dated('2026-11-02T09:00:00Z', () =>
    task({ intitule: 'Diagnostic partagé', responsable: owner, fin: '2026-11-30', etat: 'en_cours' }),
  );
  diagnostic = await dated('2026-11-24T16:00:00Z', async () => {
    const result = await tasks.commit({
      taskId: diagnostic.id,
      expectedVersion: diagnostic.version,
      values: { ...diagnostic.values, etat: 'fait' },
      changes: [{ fieldId: 'etat', before: 'en_cours', after: 'fait' }],
      author: asRemi,
    });
    if (!result.ok) throw new Error('conflit inattendu');
    return result.task;
  });
  const copil = await dated('2026-11-02T09:00:00Z', () =>
    task({ intitule: 'Réunir le COPIL', responsable: owner, fin: '2026-11-20' }),
  );
  const questionnaire = await dated('2026-11-02T09:00:00Z', () =>
    task({
      intitule: 'Questionnaire habitants',
      responsable: { nom: 'Association Les Jardins' },
      fin: '2026-12-05',
      etat: 'en_cours',
    }),
  );
  const later = await dated('2026-11-02T09:00:00Z', () =>
    task({ intitule: 'Bilan de la saison', responsable: owner, fin: '2027-01-31' }),
  );

  // Bréau: a fiche validated in June; its third-quarter suivi handed in this week, late, with a frein.
  let breau1 = await dated('2026-06-01T09:00:00Z', () =>
    create(
      breau.id,
      { intitule: 'Prévention solaire', periode: { debut: '2026-01-01', fin: '2026-12-31' } },
      asBruno,
    ),
  );
  breau1 = await dated('2026-06-02T09:00:00Z', () => commit(breau1, asClaire, { status: 'validee' }));
  const suivi = await dated('2026-11-20T09:00:00Z', () =>
    suivis.findOrCreate({ ficheId: breau1.id, period: '2026-T3', kind: 'trimestriel', author: asBruno }),
  );
  await dated('2026-11-25T14:00:00Z', () =>
    suivis.commit({
      suiviId: suivi.id,
      expectedVersion: suivi.version,
      values: { freins: 'Peu de participants en août', realisation: 'en_partie' },
      changes: [{ fieldId: 'freins', before: undefined, after: 'Peu de participants en août' }],
      author: asBruno,
      status: 'soumis',
    }),
  );

  // Champagne-sur-Seine: nothing since October. Dammarie-lès-Lys: followed by Dora only.
  await dated('2026-10-01T09:00:00Z', () => create(champagne.id, { intitule: 'Forum santé' }, asClaire));
  const dammarie1 = await dated('2026-11-26T09:00:00Z', () =>
    create(dammarie.id, { intitule: 'Sport sur ordonnance' }, asClaire),
  );

  // The web chat's questions: one the documents could not answer, one answer rated 👎, and others not listed.
  const ask = (question: string, abstained: boolean, userId: string) =>
    interactions.record({
      channel: 'web',
      workspaceId: 'local',
      conversationId: `conversation-${userId}`,
      userId,
      question,
      answer: abstained
        ? 'Je ne trouve pas la réponse dans les documents.'
        : 'Utilisez le tableau de la fiche 5.',
      abstained,
      mode: 'extractive',
      latencyMs: 10,
      sources: [],
    });
  await dated('2026-11-26T10:00:00Z', () => ask('Quel est le montant du FIR pour 2027 ?', true, 'remi'));
  await dated('2026-11-10T10:00:00Z', () => ask('Question d’avant la semaine ?', true, 'remi'));
  const rated = await dated('2026-11-26T11:00:00Z', () =>
    ask('Comment remplir le suivi trimestriel ?', false, 'bruno'),
  );
  await dated('2026-11-27T08:00:00Z', () =>
    feedback.record({
      interactionId: rated.id,
      channel: 'web',
      conversationId: 'conversation-bruno',
      userId: 'bruno',
      rating: 'down',
    }),
  );
  const liked = await dated('2026-11-26T12:00:00Z', () => ask('Qu’est-ce qu’un COPIL ?', false, 'remi'));
  await dated('2026-11-27T08:00:00Z', () =>
    feedback.record({
      interactionId: liked.id,
      channel: 'web',
      conversationId: 'conversation-remi',
      userId: 'remi',
      rating: 'up',
    }),
  );

  return {
    people: { claire: claire!.id, remi: remi!.id, bruno: bruno!.id, dora: dora!.id, nobody: nobody!.id },
    collectivites: { avon: avon.id, breau: breau.id, champagne: champagne.id, dammarie: dammarie.id },
    fiches: { avon1, avon2, avon3, breau1, dammarie1 },
    tasks: { diagnostic, copil, questionnaire, later },
    suiviBreau: suivi.id,
  };
}
