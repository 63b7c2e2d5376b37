import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import type { FieldDef, FormDef } from './types.ts';

/** What a message typed during a form means, before it is read as an answer. */
export type FormCommand =
  | { kind: 'back' }
  | { kind: 'skip' }
  | { kind: 'recap' }
  | { kind: 'help' }
  | { kind: 'cancel' }
  | { kind: 'pause' }
  | { kind: 'edit'; fieldId: string }
  | { kind: 'correction'; fieldId: string; valueText: string };

const EXACT: Record<string, FormCommand['kind']> = {};
const phrases: [FormCommand['kind'], string[]][] = [
  [
    'back',
    ['retour', 'revenir', 'precedent', 'question precedente', 'en arriere', 'reviens', 'revenir en arriere'],
  ],
  [
    'skip',
    [
      'passer',
      'passe',
      'je passe',
      'on passe',
      'suivant',
      'question suivante',
      'sauter',
      'je ne sais pas',
      'je sais pas',
      'sais pas',
      // Not known yet: the optional question is left for later rather than read as an answer.
      'je ne sais pas encore',
      'on ne sait pas encore',
      'pas encore defini',
      'pas encore definie',
      'pas encore definis',
      'pas encore decide',
      'pas encore connu',
      'a definir',
      'a preciser',
      'non defini',
      'aucune idee',
      'on verra',
      'skip',
    ],
  ],
  [
    'recap',
    ['recap', 'recapitulatif', 'resume', 'voir la fiche', 'voir le recap', 'ou en est on', 'ou en suis je'],
  ],
  [
    'help',
    [
      'aide',
      'help',
      'je ne comprends pas',
      'je comprends pas',
      'explique',
      'expliquez',
      'c est a dire',
      'quoi',
    ],
  ],
  ['cancel', ['annuler', 'annule', 'abandonner', 'abandon', 'laisse tomber', 'oublie']],
  [
    'pause',
    [
      'plus tard',
      'pause',
      'stop',
      'a plus tard',
      'je reprendrai plus tard',
      'on reprendra plus tard',
      'on continue plus tard',
      'je continue plus tard',
      'a suivre',
    ],
  ],
];
for (const [kind, list] of phrases) for (const phrase of list) EXACT[phrase] = kind;

const EDIT_VERBS =
  /^(?:modifier|modifie|changer|change|corriger|corrige|revoir|reprendre|revenir (?:a|au|aux|sur))\s+(.+)$/;
const CORRECTION_CUES =
  /^(?:en fait|finalement|correction|rectification|non|pardon|erreur|je me suis trompee?|plutot|oups)\b[\s,:;.!-]*/;
const ARTICLES = /^(?:le|la|les|l|du|de la|des|de|d|mon|ma|mes|notre|nos|ce|cette|ces)\s+/;
/** Between a field's name and its new value: « le budget est de 15 000 € », « budget : 15 000 € ». */
const LINK_WORD = /^(?:est|sont|c est|ce sera|sera|serait|passe a|devient)\b/;
const VALUE_LINK = /^(?:(?:est|sont|c est|ce sera|sera|serait|passe a|devient)\s+)?(?:(?:de|d|a|plutot)\s+)?/;

/** Field names as typed, longest first so « date de fin » wins over « date ». */
function aliasIndex(form: FormDef): { alias: string; field: FieldDef }[] {
  return form.fields
    .flatMap((field) =>
      [field.label, field.id.replace(/_/g, ' '), ...field.aliases].map((alias) => ({
        alias: normalizeForMatch(alias),
        field,
      })),
    )
    .filter(({ alias }) => alias.length > 0)
    .sort((a, b) => b.alias.length - a.alias.length);
}

/** The field a phrase names (« le budget », « les dates »), or undefined. */
export function findField(form: FormDef, phrase: string): FieldDef | undefined {
  const words = normalizeForMatch(phrase).replace(ARTICLES, '');
  return aliasIndex(form).find(({ alias }) => words === alias || words.startsWith(`${alias} `))?.field;
}

/**
 * A correction names a field then gives its value: « en fait le budget est de 15 000 € ».
 * Without a cue word it must start with the field's name followed by a link (« budget : 15 000 € »,
 * « le budget est de 15 000 € »), so a long description that mentions a budget stays an answer.
 */
function correctionOf(form: FormDef, raw: string): FormCommand | undefined {
  const normalized = normalizeForMatch(raw);
  const cue = CORRECTION_CUES.exec(normalized);
  if (!cue && raw.length > 160) return undefined;
  const rest = normalized.slice(cue ? cue[0].length : 0).replace(ARTICLES, '');
  const hit = aliasIndex(form).find(({ alias }) => rest === alias || rest.startsWith(`${alias} `));
  if (!hit) return undefined;
  const afterName = rest.slice(hit.alias.length).trim();
  const linked = LINK_WORD.test(afterName) || /^[^:=]{1,60}[:=]/.test(raw);
  if (!cue && !linked) return undefined;
  const valueText = originalTail(raw, afterName.replace(VALUE_LINK, ''));
  return valueText ? { kind: 'correction', fieldId: hit.field.id, valueText } : undefined;
}

/**
 * The end of the original text whose normalized form is `normalizedTail`, so values keep their accents,
 * case and currency signs (« 15 000 € », « Démoville »).
 */
function originalTail(raw: string, normalizedTail: string): string {
  if (!normalizedTail) return '';
  for (let index = 0; index < raw.length; index++) {
    const startsWord =
      /[\p{L}\p{N}]/u.test(raw[index]!) && (index === 0 || !/[\p{L}\p{N}]/u.test(raw[index - 1]!));
    if (startsWord && normalizeForMatch(raw.slice(index)) === normalizedTail) return raw.slice(index).trim();
  }
  return normalizedTail;
}

/** Reads a message typed during a form as a command, or undefined when it is an answer. */
export function parseFormCommand(form: FormDef, raw: string): FormCommand | undefined {
  const normalized = normalizeForMatch(raw);
  const exact = EXACT[normalized];
  if (exact) return { kind: exact } as FormCommand;
  const edit = EDIT_VERBS.exec(normalized);
  if (edit) {
    const field = findField(form, edit[1]!);
    if (field) return { kind: 'edit', fieldId: field.id };
  }
  return correctionOf(form, raw);
}

const QUESTION_START =
  /^(?:c est quoi|qu est ce qu|qu est ce que|que (?:veut dire|signifie)|ca veut dire quoi|comment|pourquoi|quel|quelle|quels|quelles|a quoi (?:sert|servent)|quelle difference|est ce qu|dois je|faut il|peut on|puis je|combien|ou trouver|qui (?:doit|peut|fait))\b/;

/**
 * A methodology question asked in the middle of a form (« c'est quoi un indicateur d'activité ? »):
 * answered from the guide, then the same field is asked again. An answer to the field that happens to
 * end with « ? » is not one: the caller only asks this when the text reads as a question.
 */
export function isSideQuestion(raw: string): boolean {
  const normalized = normalizeForMatch(raw);
  const words = normalized.split(' ').filter(Boolean).length;
  if (QUESTION_START.test(normalized) && (raw.trim().endsWith('?') || words >= 4)) return true;
  return (
    raw.trim().endsWith('?') &&
    words >= 4 &&
    /\b(?:indicateur|guide|convention|diagnostic|objectif|evaluation|methode|fiche|ars|copil|partenaire)s?\b/.test(
      normalized,
    )
  );
}

/** « oui » / « non » to a confirmation; undefined when neither. */
export function parseConfirmation(raw: string): boolean | undefined {
  const normalized = normalizeForMatch(raw);
  if (
    /^(?:oui|o|ok|d accord|daccord|confirme|confirmer|je confirme|oui annuler|oui je confirme|yes|absolument|tout a fait)$/.test(
      normalized,
    )
  )
    return true;
  if (
    /^(?:non|n|pas du tout|surtout pas|continuer|on continue|je continue|reprendre|annuler l annulation|no)$/.test(
      normalized,
    )
  )
    return false;
  return undefined;
}
