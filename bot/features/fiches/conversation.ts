import { citationOf } from '../../../knowledge/index.ts';
import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import type { KnowledgeBase } from '../../../knowledge/types.ts';
import { ActionId } from '../../core/actions.ts';
import { parisDay } from '../../core/calendar.ts';
import {
  acceptValues,
  askAgain,
  COMMAND_VALUE,
  fieldOf,
  readValue,
  startForm,
  stepForm,
} from '../../core/forms/engine.ts';
import { type FieldExtractor, type Proposal, proposalFrom } from '../../core/forms/extraction.ts';
import { parseFormRef } from '../../core/forms/native.ts';
import { answerThenResume, FORM_ACTION, type FormView, renderFormMessages } from '../../core/forms/render.ts';
import type { FormSession, FormSessionKey } from '../../core/forms/sessions.ts';
import type {
  FieldChange,
  FieldContext,
  FormInput,
  FormState,
  FormValues,
  StepResult,
} from '../../core/forms/types.ts';
import { type Actor, type AuthorRef, authorOf, canEdit } from '../../core/people.ts';
import type { Repositories } from '../../core/ports.ts';
import type { Turn, TurnOutcome } from '../../core/routes.ts';
import type { Reply } from '../../core/types.ts';
import type { RecordVersion } from '../../core/versions.ts';
import { FICHE_FORM } from './form.ts';
import type { Fiche, FicheCommit } from './model.ts';
import { looksLikeDescription, proposalDecision, proposalReply } from './prefill.ts';
import { ficheName, ficheRecap, formatValue, sectionFields } from './view.ts';

/** What the fiche-action conversation needs from the rest of the application. */
export interface FicheDeps {
  /** `atomically` makes a session step and its fiche version land together, or not at all. */
  repositories: Pick<Repositories, 'fiches' | 'formSessions' | 'directory' | 'atomically' | 'settings'>;
  /** Base of the document links. */
  publicUrl: string;
  /** Reads a pasted description into the fiche's fields; absent without an LLM. */
  extractor?: FieldExtractor;
  knowledge: KnowledgeBase;
  /** Answers a methodology question like any other (cited, recorded, with feedback buttons). */
  askKnowledge(turn: Turn, question: string): Promise<TurnOutcome>;
  clock: () => Date;
}

/** A draft left alone this long is closed; the fiche itself stays (« reprendre » opens it again). */
const SESSION_TTL_MS = 30 * 24 * 3_600_000;
const MAX_ATTEMPTS = 3;

/** A lost race on the session or the fiche: the turn is run again on fresh state. */
class Race extends Error {}

export function sessionKeyOf(turn: Turn): FormSessionKey {
  const { channel, workspaceId, conversationId, threadId, userId } = turn.incoming;
  return { channel, workspaceId, conversationId, threadKey: threadId ?? '', userKey: userId };
}

const plain = (text: string, extra: Partial<Reply> = {}): TurnOutcome => ({
  reply: { text, citations: [], aiGenerated: false, feedback: false, ...extra },
});

function collectiviteOf(session: FormSession): { id: string; name: string } {
  return session.context.collectivite as { id: string; name: string };
}

async function programmeOptions(deps: Pick<FicheDeps, 'repositories'>, collectiviteId: string) {
  const fiches = await deps.repositories.fiches.list({ collectiviteIds: [collectiviteId] });
  const names = [
    ...new Set(fiches.map((fiche) => fiche.programme).filter((name): name is string => Boolean(name))),
  ];
  return names.slice(0, 5).map((name, index) => ({ id: `programme-${index}`, label: name }));
}

/** What a field's parser needs for a fiche of this collectivité: today, and the programmes already named. */
export async function fieldContextFor(
  deps: Pick<FicheDeps, 'repositories' | 'clock'>,
  collectiviteId: string,
): Promise<Omit<FieldContext, 'values'>> {
  return {
    today: parisDay(deps.clock()),
    lookups: { programmes: await programmeOptions(deps, collectiviteId) },
  };
}

function cancelQuestion(session: FormSession, fiche: Fiche | undefined): string {
  if (!fiche) return 'Annuler cette nouvelle fiche-action ? Rien n’a encore été enregistré.';
  if (session.createdRecord) {
    return `Abandonner ce brouillon (${ficheName(fiche)}) ? Il disparaîtra de vos fiches ; son historique reste consultable.`;
  }
  return `Annuler les modifications faites dans cette conversation ? La ${ficheName(fiche)} reprendra ses valeurs d’avant ; elle ne sera pas supprimée.`;
}

/** The guide's own passage for a field: found by the phrase the field names, quoted and cited. */
export function guideHelp(knowledge: KnowledgeBase, fieldId: string): FormView['help'] {
  const field = FICHE_FORM.fields.find((candidate) => candidate.id === fieldId);
  if (!field?.guide) return undefined;
  const phrase = normalizeForMatch(field.guide.phrase);
  const passage = knowledge
    .documentContent(field.guide.document)
    ?.passages.find((candidate) => normalizeForMatch(candidate.text).includes(phrase));
  if (!passage) return undefined;
  const citation = citationOf(passage, 1, 420);
  return {
    fieldId,
    text: `${field.help}\n\n*Ce qu’en dit le guide* [1] : « ${citation.snippet.replace(/\s*\n\s*/g, ' ')} »`,
    citations: [citation],
  };
}

function view(deps: FicheDeps, session: FormSession, fiche: Fiche | undefined, step: StepResult): FormView {
  const helpAsked = step.messages.find((message) => message.kind === 'help');
  return {
    recordId: fiche?.id,
    recap: (values: FormValues) =>
      ficheRecap(values, { collectiviteName: collectiviteOf(session).name, fiche }),
    help: helpAsked?.kind === 'help' ? guideHelp(deps.knowledge, helpAsked.fieldId) : undefined,
    cancelQuestion: cancelQuestion(session, fiche),
  };
}

/** « Entre-temps, Camille Martin a modifié la fiche : Budget total (10 000 € → 12 000 €) », or nothing. */
export function changedMeanwhile(versions: RecordVersion[], actor: Actor): string | undefined {
  if (versions.length === 0) return undefined;
  const authors = [
    ...new Set(
      versions.map((version) =>
        version.author.personId === actor.personId
          ? 'vous (dans une autre conversation ou un formulaire)'
          : version.author.name,
      ),
    ),
  ];
  const fields = new Map<string, { before: unknown; after: unknown }>();
  for (const version of versions) {
    for (const change of version.changes) {
      fields.set(change.fieldId, {
        before: fields.get(change.fieldId)?.before ?? change.before,
        after: change.after,
      });
    }
  }
  const list = [...fields.entries()].map(([fieldId, change]) => {
    const field = FICHE_FORM.fields.find((candidate) => candidate.id === fieldId);
    return `${field?.label ?? fieldId} (${formatValue(field, change.before)} → ${formatValue(field, change.after)})`;
  });
  return `ℹ️ Entre-temps, ${authors.join(' et ')} a modifié la fiche${list.length ? ` : ${list.join(' ; ')}` : ''}.`;
}

function inputOf(turn: Turn, state: FormState): FormInput {
  const action = turn.incoming.action;
  if (action?.id === ActionId.EditSection) {
    // A card's native edit control sent as a message: « modifier » the section's first field.
    const field = sectionFields(parseFormRef(action.value)?.sectionId ?? '', state.values)[0];
    if (field) return { kind: 'choice', value: `${COMMAND_VALUE}edit:${field.id}` };
  }
  return action?.id === FORM_ACTION && action.value
    ? { kind: 'choice', value: action.value }
    : { kind: 'text', text: turn.text };
}

/** The values at the session's start, for the fields this session changed: what « annuler » restores. */
async function valuesBefore(deps: FicheDeps, fiche: Fiche, session: FormSession): Promise<FormValues> {
  const startVersion = Number(session.context.startVersion ?? fiche.version);
  const history = await deps.repositories.fiches.history(fiche.id);
  const start = history.find((version) => version.version === startVersion)?.values ?? {};
  const restored: FormValues = { ...fiche.values };
  for (const fieldId of new Set(session.state.path)) {
    if (start[fieldId] === undefined) delete restored[fieldId];
    else restored[fieldId] = start[fieldId];
  }
  return restored;
}

async function cancel(
  deps: FicheDeps,
  session: FormSession,
  fiche: Fiche | undefined,
  actor: Actor,
): Promise<TurnOutcome> {
  const author = authorOf(actor);
  let text: string;
  if (!fiche) {
    text = 'C’est annulé : rien n’a été enregistré.';
  } else if (session.createdRecord) {
    await deps.repositories.fiches.discard(fiche.id, author);
    text = `Brouillon abandonné : la ${ficheName(fiche)} n’apparaît plus dans vos fiches.`;
  } else {
    const restored = await valuesBefore(deps, fiche, session);
    const changes = FICHE_FORM.fields
      .filter((field) => JSON.stringify(fiche.values[field.id]) !== JSON.stringify(restored[field.id]))
      .map((field) => ({ fieldId: field.id, before: fiche.values[field.id], after: restored[field.id] }));
    if (changes.length > 0) {
      const result = await deps.repositories.fiches.commit({
        ficheId: fiche.id,
        expectedVersion: fiche.version,
        values: restored,
        changes,
        author,
        note: 'modifications annulées',
      });
      if (!result.ok) throw new Race();
    }
    text =
      changes.length > 0
        ? `Modifications annulées : la ${ficheName(fiche)} a repris ses valeurs d’avant (l’historique garde la trace des deux).`
        : `Rien n’avait changé : la ${ficheName(fiche)} reste telle quelle.`;
  }
  if (!(await deps.repositories.formSessions.close(session.key, session.revision))) throw new Race();
  return plain(text, { form: { formId: FICHE_FORM.id, step: 'closed', recordId: fiche?.id } });
}

function pauseReply(fiche: Fiche | undefined, values: FormValues): TurnOutcome {
  const filled = Object.keys(values).length;
  const text = fiche
    ? `C’est noté : la ${ficheName(fiche)} est enregistrée en brouillon (${filled} réponses). Pour la reprendre, dites *reprendre* ou *mes fiches*, ici ou dans un autre canal.`
    : 'Pas de souci. Rien n’était encore enregistré ; dites *nouvelle fiche-action* pour recommencer.';
  return plain(text, { form: { formId: FICHE_FORM.id, step: 'closed', recordId: fiche?.id } });
}

/**
 * One message of a person with a fiche-action open in this conversation: refresh from the stored fiche if
 * someone changed it, run the engine, then save the fiche version and the session together.
 */
export async function continueFiche(
  turn: Turn,
  session: FormSession,
  actor: Actor,
  deps: FicheDeps,
): Promise<TurnOutcome> {
  // A session belongs to the person who opened it: a message claiming its key from someone else opens nothing.
  if (session.personId !== actor.personId) {
    return plain(
      'Ce formulaire a été ouvert par quelqu’un d’autre dans cette conversation. Dites *nouvelle fiche-action* pour commencer la vôtre.',
    );
  }
  let current: FormSession | undefined = session;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && current; attempt++) {
    try {
      return await stepOnce(turn, current, actor, deps);
    } catch (error) {
      if (!(error instanceof Race)) throw error;
      current = await deps.repositories.formSessions.find(session.key);
    }
  }
  if (!current) return plain('Cette fiche n’est plus ouverte ici. Dites *reprendre* pour la rouvrir.');
  return plain(
    'Plusieurs messages sont arrivés en même temps : pouvez-vous renvoyer votre dernière réponse ?',
  );
}

/**
 * New values for a fiche, on top of `expectedVersion`: a submitted or validated fiche that changes goes back
 * to draft, and the person is told.
 */
export function valuesCommit(
  fiche: Fiche,
  expectedVersion: number,
  values: FormValues,
  changes: FieldChange[],
  author: AuthorRef,
  note?: string,
): { commit: FicheCommit; notice?: string } {
  const reopened = fiche.status === 'soumise' || fiche.status === 'validee';
  return {
    commit: {
      ficheId: fiche.id,
      expectedVersion,
      values,
      changes,
      author,
      ...(reopened ? { status: 'brouillon' as const } : {}),
      note: reopened ? 'modifiée après soumission : repassée en brouillon' : note,
    },
    notice: reopened
      ? `La ${ficheName(fiche)} était ${fiche.status === 'validee' ? 'validée' : 'soumise'} : elle repasse en brouillon ; soumettez-la de nouveau une fois prête.`
      : undefined,
  };
}

/** What a step leaves to save: the fiche version (if values changed) and the session, in one transaction. */
async function commitStep(
  deps: FicheDeps,
  session: FormSession,
  fiche: Fiche | undefined,
  step: StepResult,
  actor: Actor,
  options: { baseVersion?: number; context: Record<string, unknown>; note?: string },
): Promise<{ fiche: Fiche | undefined; notices: string[] }> {
  const author = authorOf(actor);
  const notices: string[] = [];
  let { baseVersion } = options;
  let createdRecord = session.createdRecord;
  await deps.repositories.atomically(async (repositories) => {
    if (step.changes.length > 0) {
      if (!fiche) {
        fiche = await repositories.fiches.create({
          collectiviteId: collectiviteOf(session).id,
          values: step.state.values,
          changes: step.changes,
          author,
          note: options.note,
        });
        createdRecord = true;
      } else {
        const change = valuesCommit(
          fiche,
          fiche.version,
          step.state.values,
          step.changes,
          author,
          options.note,
        );
        const result = await repositories.fiches.commit(change.commit);
        if (!result.ok) throw new Race();
        if (change.notice) notices.push(change.notice);
        fiche = result.fiche;
      }
      baseVersion = fiche.version;
    }
    const saved = await repositories.formSessions.save({
      ...session,
      state: step.state,
      context: options.context,
      recordId: fiche?.id,
      baseVersion,
      createdRecord,
      expiresAt: new Date(deps.clock().getTime() + SESSION_TTL_MS),
    });
    if (saved === undefined) throw new Race();
  });
  return { fiche, notices };
}

/** A pasted description read by the LLM, or a Word fiche: a proposal kept in the session, nothing saved. */
async function propose(
  turn: Turn,
  session: FormSession,
  state: FormState,
  fiche: Fiche | undefined,
  deps: FicheDeps,
  context: Omit<FieldContext, 'values'>,
): Promise<TurnOutcome | undefined> {
  const word = turn.incoming.attachments?.find((file) => /\.docx$/i.test(file.name));
  let proposal: Proposal;
  if (word) {
    const bytes = await word.read().catch(() => undefined);
    if (!bytes)
      return plainWith(
        `Je n’ai pas pu récupérer le fichier « ${word.name} » (trop volumineux, ou plus disponible). Renvoyez-le, ou répondons question par question.`,
        state,
      );
    const { importWordFiche } = await import('../../documents/word-import.ts');
    const imported = await importWordFiche(bytes, context);
    if (!imported.ok) return plainWith(imported.message, state);
    proposal = {
      values: imported.values,
      understood: imported.understood.map((item) => ({ ...item, unsure: false })),
      rejected: imported.rejected.map((item) => ({ fieldId: '', ...item })),
      source: 'word',
    };
  } else {
    if (!deps.extractor || !looksLikeDescription(turn.fullText, state)) return undefined;
    try {
      proposal = proposalFrom(
        FICHE_FORM,
        await deps.extractor.extract(FICHE_FORM, turn.fullText, context),
        context,
        'llm',
      );
    } catch {
      return plainWith(
        'Je n’ai pas pu lire ce texte : le modèle de langue n’a pas répondu. Répondons question par question.',
        state,
      );
    }
  }
  if (proposal.understood.length === 0) {
    return plainWith(
      'Je n’ai rien trouvé qui réponde aux champs de la fiche. Répondons question par question.',
      state,
    );
  }
  const saved = await deps.repositories.formSessions.save({
    ...session,
    state,
    context: { ...session.context, proposal },
  });
  if (saved === undefined) throw new Race();
  return { reply: proposalReply(proposal, fiche?.id) };

  function plainWith(text: string, current: FormState): TurnOutcome {
    const reply = renderFormMessages(FICHE_FORM, askAgain(current).messages, current.values, context, {
      recap: (values) => ficheRecap(values, { collectiviteName: collectiviteOf(session).name, fiche }),
      cancelQuestion: '',
    });
    return { reply: { ...reply, text: `${text}\n\n${reply.text}` } };
  }
}

async function stepOnce(
  turn: Turn,
  session: FormSession,
  actor: Actor,
  deps: FicheDeps,
): Promise<TurnOutcome> {
  const collectivite = collectiviteOf(session);
  if (!canEdit(actor, collectivite.id)) {
    await deps.repositories.formSessions.close(session.key, session.revision);
    return plain(
      `Vous n’êtes plus référent de ${collectivite.name} : la fiche est fermée. Ce qui était enregistré est conservé.`,
    );
  }
  let fiche = session.recordId ? await deps.repositories.fiches.get(session.recordId) : undefined;
  let state = session.state;
  let baseVersion = session.baseVersion;
  const notices: string[] = [];
  if (fiche && fiche.version !== baseVersion) {
    const since = (await deps.repositories.fiches.history(fiche.id)).filter(
      (version) => version.version > (baseVersion ?? 0),
    );
    const notice = changedMeanwhile(since, actor);
    if (notice)
      notices.push(
        `${notice} Je continue à partir de la version à jour ; rien n’est perdu (dites *historique* pour tout voir).`,
      );
    state = { ...state, values: fiche.values };
    baseVersion = fiche.version;
  }
  const context = await fieldContextFor(deps, collectiviteOf(session).id);
  const { proposal, ...sessionContext } = session.context as { proposal?: Proposal };
  let step: StepResult;
  let note: string | undefined;
  const decision = proposal ? proposalDecision(turn) : undefined;
  if (proposal && decision === 'accept') {
    const unsure = proposal.understood.filter((item) => item.unsure).map((item) => item.fieldId);
    step = acceptValues(FICHE_FORM, state, proposal.values, unsure);
    note =
      proposal.source === 'llm'
        ? 'pré-remplie à partir d’un texte lu par le modèle de langue, acceptée'
        : 'importée d’un fichier Word, acceptée';
  } else if (proposal && decision === 'ignore') {
    step = askAgain(state);
  } else {
    const proposed = await propose(
      turn,
      { ...session, context: sessionContext },
      state,
      fiche,
      deps,
      context,
    );
    if (proposed) return proposed;
    step = stepForm(FICHE_FORM, state, inputOf(turn, state), context);
  }
  if (step.effect.kind === 'cancel') return cancel(deps, { ...session, state }, fiche, actor);
  if (step.effect.kind === 'pause') {
    if (!(await deps.repositories.formSessions.close(session.key, session.revision))) throw new Race();
    return pauseReply(fiche, state.values);
  }
  const committed = await commitStep(deps, session, fiche, step, actor, {
    baseVersion,
    context: sessionContext,
    note,
  });
  fiche = committed.fiche;
  notices.push(...committed.notices);
  const reply = renderFormMessages(
    FICHE_FORM,
    step.messages,
    step.state.values,
    context,
    view(deps, session, fiche, step),
  );
  const withNotices = notices.length > 0 ? { ...reply, text: [...notices, reply.text].join('\n\n') } : reply;
  if (step.effect.kind === 'side_question') {
    const answer = await deps.askKnowledge(turn, step.effect.question);
    return answerThenResume(answer, 'On reprend la fiche-action', withNotices);
  }
  return { reply: withNotices };
}

/**
 * Opens a form session on a fiche (or on a new one for a collectivité) in this conversation and asks the
 * first missing field, or shows the recap when the fiche is complete.
 */
export async function openFiche(
  turn: Turn,
  actor: Actor,
  deps: FicheDeps,
  target: { fiche: Fiche } | { collectivite: { id: string; name: string }; title?: string },
  intro: string[],
): Promise<TurnOutcome> {
  const key = sessionKeyOf(turn);
  const existing = await deps.repositories.formSessions.find(key);
  const fiche = 'fiche' in target ? target.fiche : undefined;
  const collectivite = fiche
    ? fiche.collectivite
    : (target as { collectivite: { id: string; name: string } }).collectivite;
  const values: FormValues = fiche ? fiche.values : {};
  const started = startForm(FICHE_FORM, values);
  let state = started.state;
  let changes = started.changes;
  let messages = started.messages;
  const context = await fieldContextFor(deps, collectivite.id);
  const title = 'title' in target ? target.title : undefined;
  if (title) {
    // « nouvelle fiche-action : Ateliers cuisine » already gives the intitulé: checked like an answer.
    const intitule = fieldOf(FICHE_FORM, 'intitule');
    const read = readValue(intitule, title, { ...context, values: {} });
    if (read.ok) {
      const prefilled = acceptValues(FICHE_FORM, state, { intitule: read.value }, []);
      state = prefilled.state;
      changes = prefilled.changes;
      messages = [
        { kind: 'saved', fieldId: 'intitule', echo: read.echo, correction: false },
        ...prefilled.messages,
      ];
    }
  }
  let created: Fiche | undefined = fiche;
  const session: FormSession = {
    key,
    personId: actor.personId,
    formId: FICHE_FORM.id,
    recordId: fiche?.id,
    baseVersion: fiche?.version,
    createdRecord: false,
    context: { collectivite, startVersion: fiche?.version },
    state,
    revision: existing?.revision ?? 0,
    expiresAt: new Date(deps.clock().getTime() + SESSION_TTL_MS),
  };
  await deps.repositories.atomically(async (repositories) => {
    if (!fiche && changes.length > 0) {
      created = await repositories.fiches.create({
        collectiviteId: collectivite.id,
        values: state.values,
        changes,
        author: authorOf(actor),
      });
      session.recordId = created.id;
      session.baseVersion = created.version;
      session.createdRecord = true;
    }
    if (existing) await repositories.formSessions.close(existing.key, existing.revision);
    const saved = await repositories.formSessions.save({ ...session, revision: 0 });
    if (saved === undefined) throw new Race();
  });
  const reply = renderFormMessages(FICHE_FORM, messages, state.values, context, {
    recordId: created?.id,
    recap: (current) => ficheRecap(current, { collectiviteName: collectivite.name, fiche: created }),
    cancelQuestion: '',
  });
  return { reply: { ...reply, text: [...intro, reply.text].join('\n\n') } };
}

export const FORM_INTRO =
  'Je vous pose les questions une à une. À tout moment : *retour*, *passer* (questions facultatives), *modifier* + un champ, *récap*, *aide*, *plus tard* ou *annuler*. Une question de méthode en chemin ? Posez-la : je réponds avec le guide, puis on reprend.';
