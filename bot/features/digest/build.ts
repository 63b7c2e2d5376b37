import { parisDay } from '../../core/calendar.ts';
import { addDays, addMonths, type IsoDate } from '../../core/french/calendar.ts';
import { formatDate } from '../../core/french/format.ts';
import { type Actor, canRead, collectivitesWith, isDeploymentAdmin } from '../../core/people.ts';
import type { ActivityRepository, ActivityVersion, Repositories } from '../../core/ports.ts';
import { periodLabel } from '../../documents/dashboard/suivi-sheet.ts';
import type { Task } from '../dashboard/model.ts';
import type { Fiche } from '../fiches/model.ts';
import { ficheName } from '../fiches/view.ts';
import type { CollectiviteDigest, Digest, DigestItem, IsoWeek } from './model.ts';
import { previousQuarter, quarterOf, weekRange } from './weeks.ts';

/**
 * Builds the weekly digest as plain data from the records: what moved in [Monday, next Monday) of the
 * week (read from the versions), what is late or due at `now`, and what the documents could not answer.
 * Nothing here sends anything or reads a clock.
 */

export type DigestAudience = Digest['audience'];

/** Where a digest's items point: pages of the web chat, opened by people signed in. */
export interface DigestLinks {
  record(kind: 'fiche' | 'task' | 'suivi', id: string): string;
  page(week: IsoWeek): string;
  /** A signed link to the progress chart of these collectivités; absent when charts are not served. */
  chart?(collectiviteIds: string[]): Promise<string>;
}

/** The reads a digest needs: the composition root gives the repositories and the links. */
export interface DigestDeps {
  directory: Pick<Repositories['directory'], 'actorByPerson' | 'listCollectivites'>;
  fiches: Pick<Repositories['fiches'], 'list'>;
  tasks: Pick<Repositories['tasks'], 'overdue' | 'dueBetween' | 'doneBetween'>;
  suivis: Pick<Repositories['suivis'], 'missing'>;
  activity: ActivityRepository;
  links: DigestLinks;
}

export interface DigestRequest {
  personId: string;
  /**
   * The collectivités followed (a subscription's choice), among those the person may read; by default a
   * coordinator's own, every one for a deployment administrator, a référent's own.
   */
  collectiviteIds?: string[];
  /** By default coordinateur when the person coordinates any collectivité, référent otherwise. */
  audience?: DigestAudience;
  /** Sent after downtime, past its scheduled time. */
  late?: boolean;
}

export interface DigestOptions {
  /** The week reported on. */
  week: IsoWeek;
  /** When the digest is made: « late » and « due » are as of this day in Paris. */
  now: Date;
}

/** The tasks due within this many days are listed. */
export const DUE_SOON_DAYS = 14;
/** A collectivité with no change for this many days is pointed out. */
export const QUIET_DAYS = 21;
/** The bilan annuel is reminded this many months ahead. */
const BILAN_NOTICE_MONTHS = 2;
const KNOWLEDGE_LIMIT = 10;
const CHART_GROUP = 25;

export async function buildDigest(
  deps: DigestDeps,
  options: DigestOptions & DigestRequest,
): Promise<Digest | undefined> {
  const [digest] = await buildDigests(deps, { ...options, requests: [options] });
  return digest;
}

interface Recipient {
  request: DigestRequest;
  actor: Actor;
  audience: DigestAudience;
  collectivites: { id: string; name: string }[];
}

/**
 * The digests of many people for one week, reading each collectivité's data once however many people
 * follow it. People unknown, deactivated or following no collectivité get none (absent from the result).
 */
export async function buildDigests(
  deps: DigestDeps,
  options: DigestOptions & { requests: DigestRequest[] },
): Promise<Digest[]> {
  const recipients = await resolveRecipients(deps, options.requests);
  const ids = [...new Set(recipients.flatMap((r) => r.collectivites.map((c) => c.id)))];
  if (ids.length === 0) return [];
  const facts = await loadFacts(deps, ids, options);
  const digests: Digest[] = [];
  for (const recipient of recipients) {
    const collectivites = recipient.collectivites.map((collectivite) =>
      recipient.audience === 'coordinateur'
        ? facts.digestOf(collectivite)
        : facts.referentDigestOf(collectivite, recipient.actor.personId),
    );
    const charts: string[] = [];
    if (deps.links.chart) {
      for (let at = 0; at < collectivites.length; at += CHART_GROUP) {
        const group = collectivites.slice(at, at + CHART_GROUP).map((c) => c.collectivite.id);
        charts.push(await deps.links.chart(group));
      }
    }
    digests.push({
      week: options.week,
      person: { id: recipient.actor.personId, name: recipient.actor.displayName },
      audience: recipient.audience,
      generatedAt: options.now,
      late: recipient.request.late ?? false,
      range: { from: facts.range.monday, to: facts.range.sunday },
      quarter: facts.quarter,
      url: deps.links.page(options.week),
      charts,
      collectivites,
      knowledge: recipient.audience === 'coordinateur' ? facts.knowledge : { unanswered: [], downvoted: [] },
    });
  }
  return digests;
}

async function resolveRecipients(deps: DigestDeps, requests: DigestRequest[]): Promise<Recipient[]> {
  let all: Promise<{ id: string; name: string }[]> | undefined;
  const everyCollectivite = () => {
    all ??= deps.directory
      .listCollectivites()
      .then((list) => list.map(({ id, name }) => ({ id, name })).sort(byName));
    return all;
  };
  const recipients: Recipient[] = [];
  for (const request of requests) {
    const actor = await deps.directory.actorByPerson(request.personId);
    if (!actor) continue;
    const coordinated = collectivitesWith(actor, ['coordinateur']);
    const admin = isDeploymentAdmin(actor);
    const audience: DigestAudience =
      request.audience ?? (coordinated.length > 0 || admin ? 'coordinateur' : 'referent');
    let collectivites: { id: string; name: string }[];
    if (request.collectiviteIds) {
      // A subscription may outlive a role: only what the person may still read.
      const wanted = new Set(request.collectiviteIds);
      collectivites = (await everyCollectivite()).filter((c) => wanted.has(c.id) && canRead(actor, c.id));
    } else if (audience === 'referent') {
      collectivites = collectivitesWith(actor, ['referent']);
    } else {
      collectivites = admin && coordinated.length === 0 ? await everyCollectivite() : coordinated;
    }
    if (collectivites.length > 0) recipients.push({ request, actor, audience, collectivites });
  }
  return recipients;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'fr');

/** Everything read for the week, once, and each collectivité's part of it. */
async function loadFacts(deps: DigestDeps, ids: string[], options: DigestOptions) {
  const range = weekRange(options.week);
  // What moved is read up to the end of the week, or up to now when the week is not over.
  const until = new Date(Math.min(options.now.getTime(), range.end.getTime()));
  const today = parisDay(options.now);
  const quarter = quarterOf(today);
  // One after the other: PGlite runs one query at a time, and interleaving them was twice as slow.
  const versions = await deps.activity.versionsBetween(ids, range.start, until);
  const late = await deps.tasks.overdue(ids, today);
  const dueSoon = await deps.tasks.dueBetween(ids, today, addDays(today, DUE_SOON_DAYS));
  const progress = await deps.activity.taskProgress(ids, today);
  const done = await deps.tasks.doneBetween(ids, range.start, until);
  const due = await deps.suivis.missing(ids, quarter);
  const missing = await deps.suivis.missing(ids, previousQuarter(quarter));
  const validated = await deps.fiches.list({ collectiviteIds: ids, statuses: ['validee'] });
  const gaps = await deps.activity.knowledgeGaps(range.start, until, KNOWLEDGE_LIMIT * 3);
  // Only the collectivités where nothing moved this week may have been quiet for three weeks.
  const moved = new Set(versions.map((version) => version.collectivite.id));
  const lastActivity = await deps.activity.lastActivity(ids.filter((id) => !moved.has(id)));
  const group = <T>(items: T[], key: (item: T) => string) => {
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const id = key(item);
      const list = groups.get(id);
      if (list) list.push(item);
      else groups.set(id, [item]);
    }
    return (id: string) => groups.get(id) ?? [];
  };
  const versionsOf = group(versions, (v) => v.collectivite.id);
  const lateOf = group(late, (t) => t.collectivite.id);
  const dueSoonOf = group(dueSoon, (t) => t.collectivite.id);
  const doneOf = group(done, (d) => d.task.collectivite.id);
  const dueOf = group(due, (f) => f.collectivite.id);
  const missingOf = group(missing, (f) => f.collectivite.id);
  const validatedOf = group(validated, (f) => f.collectivite.id);
  const quietBefore = options.now.getTime() - QUIET_DAYS * 86_400_000;
  const links = deps.links;

  const cache = new Map<string, CollectiviteDigest>();
  const digestOf = (collectivite: { id: string; name: string }): CollectiviteDigest => {
    const cached = cache.get(collectivite.id);
    if (cached) return cached;
    const last = lastActivity.get(collectivite.id);
    const fiche = (f: Fiche, text: string): DigestItem => ({ text, url: links.record('fiche', f.id) });
    const digest: CollectiviteDigest = {
      collectivite,
      fiches: ficheItems(versionsOf(collectivite.id), links),
      tasks: {
        done: doneOf(collectivite.id).map(({ task, by }) => ({
          text: `${taskName(task)} faite (${by.name})`,
          url: links.record('task', task.id),
        })),
        ...pendingTasks(lateOf(collectivite.id), dueSoonOf(collectivite.id), links),
      },
      suivis: {
        ...suiviItems(versionsOf(collectivite.id), links),
        due: dueOf(collectivite.id).map((f) => fiche(f, `${capitalize(ficheName(f))} : suivi à remettre`)),
        missing: missingOf(collectivite.id).map((f) =>
          fiche(f, `${capitalize(ficheName(f))} : suivi du trimestre passé non remis`),
        ),
      },
      nextBilanAnnuel: nextBilan(validatedOf(collectivite.id), today, links),
      quiet: moved.has(collectivite.id)
        ? undefined
        : last === undefined
          ? { since: undefined }
          : last.getTime() < quietBefore
            ? { since: parisDay(last) }
            : undefined,
      progress: progress.get(collectivite.id) ?? { done: 0, inProgress: 0, late: 0, todo: 0 },
    };
    cache.set(collectivite.id, digest);
    return digest;
  };
  /** A référent's part: the fiches sent back, the tasks they own, and the suivis their collectivité owes. */
  const referentDigestOf = (collectivite: { id: string; name: string }, personId: string) => {
    const digest = digestOf(collectivite);
    const owned = (tasks: Task[]) => tasks.filter((t) => t.values.responsable?.personId === personId);
    const fiches = {
      created: [],
      changed: [],
      submitted: [],
      validated: [],
      returned: digest.fiches.returned,
    };
    return {
      ...digest,
      fiches,
      tasks: {
        done: [],
        ...pendingTasks(owned(lateOf(collectivite.id)), owned(dueSoonOf(collectivite.id)), links),
      },
      suivis: { submitted: [], due: digest.suivis.due, missing: digest.suivis.missing, freins: [] },
    } satisfies CollectiviteDigest;
  };
  return { range, quarter, digestOf, referentDigestOf, knowledge: knowledgeOf(gaps) };
}

const taskName = (task: Task) => `Tâche n° ${task.number} « ${task.values.intitule} »`;
const owner = (task: Task) => task.values.responsable?.nom ?? 'sans responsable';
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Open tasks past their end date, and those ending within 14 days, soonest first, with their owner. */
function pendingTasks(late: Task[], dueSoon: Task[], links: DigestLinks) {
  const item = (t: Task, when: string): DigestItem => ({
    text: `${taskName(t)} : ${owner(t)}, ${when} ${formatDate(t.values.fin!)}`,
    url: links.record('task', t.id),
  });
  return {
    late: late.map((t) => item(t, 'prévue pour le')),
    dueSoon: dueSoon.map((t) => item(t, 'pour le')),
  };
}

/** Each fiche once per kind of change, in the order it first happened this week. */
function ficheItems(versions: ActivityVersion[], links: DigestLinks): CollectiviteDigest['fiches'] {
  const fiches: CollectiviteDigest['fiches'] = {
    created: [],
    changed: [],
    submitted: [],
    validated: [],
    returned: [],
  };
  const seen = new Set<string>();
  const add = (kind: keyof typeof fiches, version: ActivityVersion, text: string) => {
    const key = `${kind}:${version.recordId}`;
    if (seen.has(key)) return;
    seen.add(key);
    fiches[kind].push({ text, url: links.record('fiche', version.recordId) });
  };
  const created = new Set<string>();
  for (const version of versions) {
    if (version.recordType !== 'fiche_action') continue;
    const name = capitalize(ficheName(version.subject));
    const moved = version.status !== version.previousStatus;
    if (version.version === 1) {
      created.add(version.recordId);
      add('created', version, `${name}, créée par ${version.author.name}`);
    } else if (moved && version.status === 'soumise') {
      add('submitted', version, `${name}, soumise par ${version.author.name}`);
    } else if (moved && version.status === 'validee') {
      add('validated', version, `${name}, validée par ${version.author.name}`);
    } else if (moved && version.status === 'a_revoir') {
      const why = version.note ? ` : « ${version.note} »` : '';
      add('returned', version, `${name}, à revoir (${version.author.name})${why}`);
    } else if (!created.has(version.recordId) && version.changes.length > 0) {
      add('changed', version, `${name}, modifiée par ${version.author.name}`);
    }
  }
  return fiches;
}

/** Suivis submitted this week, and the freins they report. */
function suiviItems(versions: ActivityVersion[], links: DigestLinks) {
  const submitted: DigestItem[] = [];
  const freins: DigestItem[] = [];
  const seen = new Set<string>();
  for (const version of versions) {
    if (version.recordType !== 'suivi' || version.status !== 'soumis') continue;
    if (version.previousStatus === 'soumis' || seen.has(version.recordId)) continue;
    seen.add(version.recordId);
    const url = links.record('suivi', version.recordId);
    const name = ficheName(version.subject);
    submitted.push({
      text: `Suivi ${periodLabel(version.subject.period ?? '')} de la ${name}, remis par ${version.author.name}`,
      url,
    });
    const frein = version.values.freins;
    if (typeof frein === 'string' && frein.trim() !== '') {
      freins.push({ text: `${capitalize(name)} : ${frein.trim()}`, url });
    }
  }
  return { submitted, freins };
}

/**
 * The guide's bilan annuel is held « deux mois avant l'échéance annuelle »: for each validated action, two
 * months before each anniversary of its start, while it runs. The soonest from today, within two months.
 */
function nextBilan(
  fiches: Fiche[],
  today: IsoDate,
  links: DigestLinks,
): CollectiviteDigest['nextBilanAnnuel'] {
  const horizon = addMonths(today, BILAN_NOTICE_MONTHS);
  let best: { date: IsoDate; fiche: Fiche } | undefined;
  for (const fiche of fiches) {
    const periode = fiche.values.periode as { debut?: string; fin?: string } | undefined;
    if (!periode?.debut) continue;
    for (let years = 1; years <= 10; years++) {
      const date = addMonths(addMonths(periode.debut, 12 * years), -BILAN_NOTICE_MONTHS);
      if (periode.fin && date > periode.fin) break;
      if (date < today) continue;
      if (date <= horizon && (!best || date < best.date)) best = { date, fiche };
      break;
    }
  }
  if (!best) return undefined;
  return {
    date: best.date,
    text: `Bilan annuel de la ${ficheName(best.fiche)} : vers le ${formatDate(best.date)}`,
    url: links.record('fiche', best.fiche.id),
  };
}

/** Texts only, each once: several people rating one answer 👎 make one line. */
function knowledgeOf(gaps: Awaited<ReturnType<ActivityRepository['knowledgeGaps']>>): Digest['knowledge'] {
  const unanswered = [...new Set(gaps.unanswered.map((q) => q.trim()))].slice(0, KNOWLEDGE_LIMIT);
  const seen = new Set<string>();
  const downvoted = gaps.downvoted
    .filter(({ question, answer }) => {
      const key = `${question}\u0000${answer}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, KNOWLEDGE_LIMIT);
  return { unanswered, downvoted };
}
