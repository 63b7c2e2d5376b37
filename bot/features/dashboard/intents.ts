import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import type { TaskState } from './model.ts';

/**
 * What people ask of their tableau de bord, in their words, recognized without an LLM. Every pattern is
 * anchored on the whole message: a methodology question (« c'est quoi une tâche de suivi ? », « comment
 * tenir un tableau de bord ? ») matches none and goes to the knowledge base.
 */

/** « ce mois-ci », « cette semaine », « dans 14 jours ». */
export type DueWindow = { kind: 'month' } | { kind: 'week' } | { kind: 'days'; days: number };

/** What a confirmed change does to a task: a new état, or taking it out of the dashboard. */
export type TaskChange = TaskState | 'delete';

const CHANGES: TaskChange[] = ['a_faire', 'en_cours', 'fait', 'abandonne', 'delete'];

export type DashboardIntent =
  | { kind: 'new_task'; title?: string; collectiviteId?: string }
  | { kind: 'set_state'; query: string; state: TaskChange }
  | { kind: 'due'; window: DueWindow }
  | { kind: 'late' }
  | { kind: 'status'; collectivite?: string }
  | { kind: 'mine' }
  | { kind: 'missing_suivis' }
  | { kind: 'dashboard'; collectivite?: string }
  | { kind: 'export'; format: 'xlsx' | 'png'; collectivite?: string }
  /** `periodText`: the quarter as said (« t3 2027 »), read against today by parseQuarter. */
  | { kind: 'suivi'; ficheNumber?: number; periodText?: string; annual?: boolean };

const POLITE =
  '(?:(?:peux tu|pourrais tu|pouvez vous|pourriez vous|tu peux|vous pouvez|merci de|je (?:veux|voudrais|souhaite)|j aimerais|on (?:va )?) )?';
const PLEASE = '(?: (?:stp|svp|s il (?:te|vous) plait|merci))*';
const TASK = '(?:une |la |cette |ma |nouvelle |une nouvelle )?taches?';

const STATE_WORDS: [RegExp, TaskState][] = [
  [/^(?:terminee?s?|finie?s?|faite?s?|achevee?s?|bouclee?s?|realisee?s?|close?s?|ok)$/, 'fait'],
  [/^(?:en cours|commencee?s?|demarree?s?|lancee?s?|entamee?s?)$/, 'en_cours'],
  [/^(?:abandonnee?s?|annulee?s?|arretee?s?)$/, 'abandonne'],
  [/^(?:a faire|pas commencee?s?|non commencee?s?)$/, 'a_faire'],
];

function stateOf(words: string): TaskState | undefined {
  return STATE_WORDS.find(([pattern]) => pattern.test(words))?.[1];
}

/** The words after the first colon, or after « tâche », as typed: the intitulé keeps its accents and case. */
function titleAfter(text: string): string | undefined {
  const colon = text.indexOf(':');
  const rest =
    colon >= 0
      ? text.slice(colon + 1)
      : text.replace(/^.*?\bt[âa]ches?\b\s*(?:(?:pour|sur|de|d['’]|intitul[ée]e?)\s*)?/i, '');
  const title = rest
    .replace(/[\s.!?]+$/, '')
    .replace(/^[«"“]\s*|\s*[»"”]$/g, '')
    .trim();
  return title.length >= 2 ? title.charAt(0).toUpperCase() + title.slice(1) : undefined;
}

const NEW_TASK = new RegExp(
  `^${POLITE}(?:ajoute[rz]?|cree[rz]?|creer|nouvelle|ajout d une|rajoute[rz]?|saisir|noter?)(?: moi)? ${TASK}\\b`,
);

const DELETE = new RegExp(
  `^${POLITE}(?:supprime[rz]?|efface[rz]?|retire[rz]?|enleve[rz]?)(?: moi)? (?:la )?tache (.+?)${PLEASE}$`,
);

/** « la tâche diagnostic quantitatif est terminée », « marque la tâche 3 comme faite », « supprime la tâche 3 ». */
function parseSetState(normalized: string, text: string): DashboardIntent | undefined {
  const deleted = DELETE.exec(normalized);
  if (deleted) {
    const typed = /t[âa]che\s+(.+?)[\s.!?]*$/i.exec(text)?.[1];
    return { kind: 'set_state', query: (typed ?? deleted[1]!).trim(), state: 'delete' };
  }
  const declared =
    /^(?:la )?tache (.+?) (?:est|a ete|sont|vient d etre) (?:maintenant |desormais |bien )?(.+?)$/.exec(
      normalized,
    );
  const marked = new RegExp(
    `^${POLITE}(?:marque[rz]?|passe[rz]?|mets?|mettre|indique[rz]?) (?:la )?tache (.+?) (?:comme|en|a) (.+)$`,
  ).exec(normalized);
  const match = declared ?? marked;
  if (!match) return undefined;
  const state = stateOf(match[2]!.replace(new RegExp(`${PLEASE}$`), '').trim());
  if (!state) return undefined;
  // The query as typed, between « tâche » and the verb, for the fuzzy match on intitulés.
  const typed = /t[âa]che\s+(.+?)\s+(?:est|a été|sont|vient d['’]être|comme|en|à|a)\s/i.exec(text)?.[1];
  return { kind: 'set_state', query: (typed ?? match[1]!).trim(), state };
}

/** A time window at the end of the message: « ce mois-ci », « cette semaine », « dans 14 jours ». */
const WINDOW =
  /(?:^| )(ce mois ci|ce mois|cette semaine|la semaine|le mois|dans (\d{1,3}) jours?|les (\d{1,3}) prochains jours|d ici (\d{1,3}) jours|sous (\d{1,3}) jours)$/;
/** What asks for due tasks, from its first words: not « comment… » nor « c'est quoi… ». */
const DUE_START =
  /^(?:qu est ce qui|qu est ce qu il|quoi|quelles?|qu y a t il|que (?:dois|devons|reste)|mes|les|nos|echeances?|a echeance|taches?)\b/;
const DUE_CUE =
  /\b(?:echeances?|arrivent?|a rendre|a faire|doi(?:t|vent|s) (?:etre|faire|rendre|finir)|tombent?|prevues?|finir|terminer|dues?)\b/;

function windowOf(words: string | undefined, days: string | undefined): DueWindow {
  if (days) return { kind: 'days', days: Math.min(Number(days), 366) };
  if (words && /semaine/.test(words)) return { kind: 'week' };
  return { kind: 'month' };
}

function parseDue(full: string): DashboardIntent | undefined {
  const window = WINDOW.exec(full);
  if (!window || !DUE_START.test(full) || !DUE_CUE.test(full) || full.split(' ').length > 14)
    return undefined;
  return { kind: 'due', window: windowOf(window[1], window[2] ?? window[3] ?? window[4] ?? window[5]) };
}

const LATE =
  /^(?:qu est ce qui est |quelles (?:sont les )?taches sont |quoi |les |mes |nos )?(?:taches )?en retard$/;
const MINE = new RegExp(
  `^(?:voir |afficher |liste de |lister )?(?:mes taches|les taches dont je suis responsable)${PLEASE}$`,
);
const MISSING_SUIVIS =
  /^(?:quels? (?:sont les )?|les |mes |nos )?(?:suivis?|bilans?) (?:trimestriels? )?(?:manquants?|en attente|a faire|a remplir|qui manquent|manquent(?: encore)?)(?: (?:du|de ce|ce|pour ce) trimestre)?$/;
const STATUS =
  /^(?:ou en (?:est|sont|sommes) (?:on |nous )?|ou en est on|point sur |etat d avancement (?:de |du |d )?)(.*)$/;
const DASHBOARD =
  /^(?:voir |afficher |montrer |ouvrir |consulter )?(?:le |mon |notre )?(?:tableau de bord|tdb)(?: (?:de |du |d |des |pour )(.+))?$/;
const EXPORT_VERB =
  '(?:exporte[rz]?|telecharge[rz]?|envoie[rz]?|genere[rz]?|donne[rz]?(?: moi)?|(?:je (?:veux|voudrais)|j aimerais) (?:telecharger|exporter|recevoir|avoir)|fais|faire|montre[rz]?(?: moi)?|affiche[rz]?)';
const EXPORT_XLSX = new RegExp(
  `^${POLITE}(?:${EXPORT_VERB} )?(?:le |mon |notre )?tableau de bord(?: (?:de |du |d )(.+?))?(?: (?:en|au format|format|sous forme d un fichier|version) (?:excel|xlsx|tableur))?${PLEASE}$`,
);
const GANTT = new RegExp(
  `^${POLITE}(?:${EXPORT_VERB} )?(?:(?:le|un|mon) )?(?:diagramme (?:de )?)?gantt(?: (?:de |du |d )(.+?))?(?: (?:en )?(?:png|image))?${PLEASE}$`,
);
/** Words that name a quarter (« T3 2027 », « 3e trimestre 2027 », « troisième trimestre »), read by parseQuarter. */
const QUARTER_WORD =
  '(?:t[1-4]|\\d{4}|\\d(?:er|e|eme)?|premier|deuxieme|second|troisieme|quatrieme|trimestre)';
const SUIVI = new RegExp(
  `^${POLITE}(?:faire |remplir |saisir |commencer |reprendre |renseigner |ouvrir )?(?:le |un |mon |notre )?(?:suivi|bilan)(?: (trimestriel|annuel))?(?: (?:du |de |pour )?(?:le )?(${QUARTER_WORD}(?: ${QUARTER_WORD})*))?(?: (?:de |du |d )?(?:l action|la fiche(?: action)?|fiche|action)(?: n(?:o|umero)?)? ?(\\d{1,5}))?(?: (?:pour |du |de |au |sur )?(?:le )?(${QUARTER_WORD}(?: ${QUARTER_WORD})*))?${PLEASE}$`,
);

/** The collectivité's name as typed: « où en est Torcy ? » → « Torcy ». */
function nameAsTyped(text: string, normalizedName: string): string | undefined {
  if (!normalizedName) return undefined;
  const words = normalizedName.split(' ').length;
  const typed = text
    .replace(/[?!.\s]+$/, '')
    .split(/\s+/)
    .slice(-words)
    .join(' ');
  return normalizeForMatch(typed) === normalizedName ? typed : normalizedName;
}

export function parseDashboardIntent(text: string): DashboardIntent | undefined {
  const normalized = normalizeForMatch(text.split(':')[0] ?? '');
  if (normalized === '') return undefined;
  if (NEW_TASK.test(normalized)) return { kind: 'new_task', title: titleAfter(text) };
  const full = normalizeForMatch(text);
  const setState = parseSetState(full, text);
  if (setState) return setState;
  const due = parseDue(full);
  if (due) return due;
  if (LATE.test(full)) return { kind: 'late' };
  if (MINE.test(full)) return { kind: 'mine' };
  if (MISSING_SUIVIS.test(full)) return { kind: 'missing_suivis' };
  const status = STATUS.exec(full);
  if (status) {
    const name = status[1]!
      .replace(/^(?:on|nous)\b/, '')
      .replace(/^ ?(?:la |le |les |l |de |du )/, '')
      .trim();
    // A collectivité's name is short: « où en est la recherche sur les inégalités de santé ? » is a question.
    if (name.split(' ').length > 5) return undefined;
    // « où en sont les tâches ? », « où en est le projet ? »: the person's own dashboard.
    const generic =
      /^(?:(?:nos |mes )?taches|(?:notre |mon )?projet|(?:notre |mon )?tableau de bord|les choses)$/;
    return {
      kind: 'status',
      collectivite: name && !generic.test(name) ? nameAsTyped(text, name) : undefined,
    };
  }
  const gantt = GANTT.exec(full);
  if (gantt) return { kind: 'export', format: 'png', collectivite: gantt[1] && nameAsTyped(text, gantt[1]) };
  if (
    /\b(?:excel|xlsx|tableur)\b/.test(full) ||
    /^(?:\S+ )?(?:exporte|telecharge|envoie|genere|exporter|telecharger)/.test(full)
  ) {
    const exported = EXPORT_XLSX.exec(full);
    if (exported)
      return { kind: 'export', format: 'xlsx', collectivite: exported[1] && nameAsTyped(text, exported[1]) };
  }
  const dashboard = DASHBOARD.exec(full);
  if (dashboard) return { kind: 'dashboard', collectivite: dashboard[1] && nameAsTyped(text, dashboard[1]) };
  const suivi = SUIVI.exec(full);
  if (suivi) {
    return {
      kind: 'suivi',
      ficheNumber: suivi[3] ? Number(suivi[3]) : undefined,
      periodText: suivi[2] ?? suivi[4],
      annual: suivi[1] === 'annuel',
    };
  }
  return undefined;
}

/**
 * A sentence that states something to do (« il faudrait que le CCAS organise le diagnostic qualitatif en
 * mars »): with an LLM configured, read as a task to confirm. A question is never one.
 */
const FREE_TASK =
  /^(?:il faut|il faudrait|il faudra|on doit|on devrait|on va devoir|nous devons|nous devrions|il reste a|penser a|prevoir|planifier|programmer|organiser|a faire|todo)\b/;

export function looksLikeTask(text: string): boolean {
  const normalized = normalizeForMatch(text);
  return !text.trim().endsWith('?') && FREE_TASK.test(normalized) && normalized.split(' ').length >= 4;
}

/** Action id of the dashboard's buttons; the value is `verb:argument`. */
export const DASHBOARD_ACTION = 'dashboard';

export type DashboardButton =
  | { kind: 'new_task'; collectiviteId: string }
  | { kind: 'open_task'; taskId: string }
  | { kind: 'edit_task'; taskId: string }
  | { kind: 'confirm_state'; taskId: string; state: TaskChange }
  | { kind: 'pick_task'; taskId: string; state: TaskChange }
  | { kind: 'phase'; collectiviteId: string; phase: string }
  | { kind: 'dashboard'; collectiviteId: string }
  | { kind: 'prefiguration'; collectiviteId: string }
  | { kind: 'export'; collectiviteId: string; format: 'xlsx' | 'png' }
  | { kind: 'suivi'; ficheId: string; period?: string }
  | { kind: 'submit_suivi'; suiviId: string };

export function buttonValue(button: DashboardButton): string {
  const { kind, ...rest } = button;
  return [kind, ...Object.values(rest).filter((value) => value !== undefined)].join(':');
}

export function parseButton(value: string | undefined): DashboardButton | undefined {
  const [kind, a, b] = (value ?? '').split(':');
  if (!a) return undefined;
  switch (kind) {
    case 'new_task':
    case 'dashboard':
    case 'prefiguration':
      return { kind, collectiviteId: a };
    case 'open_task':
    case 'edit_task':
      return { kind, taskId: a };
    case 'confirm_state':
    case 'pick_task':
      return CHANGES.includes(b as TaskChange) ? { kind, taskId: a, state: b as TaskChange } : undefined;
    case 'phase':
      return b ? { kind, collectiviteId: a, phase: b } : undefined;
    case 'export':
      return b === 'xlsx' || b === 'png' ? { kind, collectiviteId: a, format: b } : undefined;
    case 'suivi':
      return { kind, ficheId: a, period: b };
    case 'submit_suivi':
      return { kind, suiviId: a };
    default:
      return undefined;
  }
}
