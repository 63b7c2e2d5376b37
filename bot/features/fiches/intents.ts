import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import type { ExportIntent } from './export-intents.ts';

/** What a référent or a coordinator asks of their fiches, in their words, outside the questions of a form. */

export type FicheRef = { number: number } | { id: string };

export type FicheIntent =
  | { kind: 'new'; title?: string; collectiviteId?: string }
  | { kind: 'list' }
  | { kind: 'resume'; ref?: FicheRef }
  | { kind: 'view'; ref?: FicheRef }
  | { kind: 'history'; ref?: FicheRef }
  | { kind: 'submit'; ref?: FicheRef }
  | { kind: 'validate'; ref?: FicheRef }
  | { kind: 'request_changes'; ref?: FicheRef; comment?: string }
  | { kind: 'comment'; ref?: FicheRef; comment?: string };

const FICHE = '(?:la |ma |une |cette )?fiches?(?: actions?)?';
const NUMBER = '(?:n(?:o|umero)? ?)?(\\d{1,5})';

const PATTERNS: [FicheIntent['kind'], RegExp][] = [
  [
    'new',
    /^(?:je (?:veux|voudrais|souhaite|vais) |on (?:va )?|j aimerais )?(?:creer|rediger|commencer|ecrire|demarrer|saisir|remplir|faire|preparer|ajouter) (?:une )?(?:nouvelle )?fiches? ?actions?\b|^nouvelle fiche\b/,
  ],
  [
    'list',
    /^(?:(?:voir |afficher |lister |liste (?:de |des )?)?(?:mes|les|nos) (?:fiches(?: actions?)?|brouillons)|fiches actions?|liste des fiches(?: actions?)?)$/,
  ],
  [
    'resume',
    new RegExp(
      `^(?:reprendre|continuer|poursuivre|completer)(?: (?:mon|le) brouillon| ${FICHE})?(?: ${NUMBER})?$`,
    ),
  ],
  ['view', new RegExp(`^(?:voir|afficher|montrer|ouvrir|consulter|lire) ${FICHE}(?: ${NUMBER})?$`)],
  ['history', new RegExp(`^(?:historique|versions|voir l historique)(?: (?:de )?${FICHE})?(?: ${NUMBER})?$`)],
  [
    'submit',
    new RegExp(`^(?:soumettre|envoyer|transmettre)(?: ${FICHE})?(?: ${NUMBER})?(?: (?:a|au|aux|pour) .*)?$`),
  ],
  ['validate', new RegExp(`^valider(?: ${FICHE})?(?: ${NUMBER})?$`)],
  [
    'request_changes',
    new RegExp(
      `^(?:a revoir|renvoyer|demander des (?:modifications|corrections)(?: (?:sur|pour|de))?)(?: ${FICHE})?(?: ${NUMBER})?\\b`,
    ),
  ],
  ['comment', new RegExp(`^commenter(?: ${FICHE})?(?: ${NUMBER})?\\b`)],
];

/** The words after the first colon, as typed: a coordinator's comment keeps its accents and case. */
function afterColon(text: string): string | undefined {
  const index = text.indexOf(':');
  const rest = index >= 0 ? text.slice(index + 1).trim() : '';
  return rest || undefined;
}

export function parseFicheIntent(text: string): FicheIntent | undefined {
  const normalized = normalizeForMatch(text.split(':')[0] ?? '');
  for (const [kind, pattern] of PATTERNS) {
    const match = pattern.exec(normalized);
    if (!match) continue;
    const ref = match[1] ? { number: Number(match[1]) } : undefined;
    switch (kind) {
      case 'new':
        return { kind, title: afterColon(text) };
      case 'list':
        return { kind };
      case 'request_changes':
      case 'comment':
        return { kind, ref, comment: afterColon(text) };
      default:
        return { kind, ref };
    }
  }
  return undefined;
}

/** A fiche button's value, `verb:id`, as an intent. */
export function intentOfAction(value: string | undefined): FicheIntent | ExportIntent | undefined {
  const separator = (value ?? '').indexOf(':');
  const verb = value?.slice(0, separator);
  const id = value?.slice(separator + 1);
  if (separator < 0 || !verb || !id) return undefined;
  if (verb === 'new') return { kind: 'new', collectiviteId: id };
  if (verb === 'docx' || verb === 'md') return { kind: 'export', ref: { id }, format: verb };
  if (verb === 'convention') return { kind: 'convention', programme: id };
  const kinds: FicheIntent['kind'][] = ['resume', 'view', 'history', 'submit', 'validate', 'request_changes'];
  return kinds.includes(verb as FicheIntent['kind'])
    ? ({ kind: verb, ref: { id } } as FicheIntent)
    : undefined;
}
