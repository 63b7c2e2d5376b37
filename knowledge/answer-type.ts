import { foldAccents } from './text/normalize.ts';

/** Lower case, no accents, straight apostrophes: the form the patterns below read. */
function plain(text: string): string {
  return foldAccents(text.toLowerCase()).replace(/[’‘`]/g, "'");
}

/** « C'est quoi X », « qu'est-ce qu'un X », « que signifie X », « définition de X », « comment définir X ». */
const DEFINITION_ASKED =
  /(?:c'?est quoi|qu'?est[- ]ce que?|qu'?est[- ]ce qu'|que (?:signifie|veut dire|designe|recouvre)|qu'?entend(?:[- ]t)?[- ]on par|(?:la )?definition (?:de la |de l'|du |des |de |d')|definir)\s*(.+)$/u;
const SUBJECT_FIRST = /^(.+?),?\s*c'?est quoi\b/u;
const ARTICLE = /^(?:(?:un|une|le|la|les|des|du|de|d'|l')\s*)+/u;
/** What follows these only narrows the context (« un critère en évaluation », « le DLS selon la FNORS »). */
const QUALIFIER = /\s(?:selon|en|dans|pour|au sens|d'apres|chez)\s.*$/u;

/**
 * The subject a question asks to define (« un indicateur d'activité » -> « indicateur d'activité »), or
 * undefined when it asks for something else.
 */
export function definitionSubject(question: string): string | undefined {
  const text = plain(question)
    .replace(/[?!.]+\s*$/u, '')
    .trim();
  const match = DEFINITION_ASKED.exec(text) ?? SUBJECT_FIRST.exec(text);
  const subject = match?.[1]?.replace(/[«»"]/g, ' ').replace(ARTICLE, '').replace(QUALIFIER, '').trim();
  return subject || undefined;
}

/** Where a definition's subject ends: « X est un… », « X : … », « X désigne … ». */
const DEFINING_VERB =
  /\s(?:est|sont|designe|designent|consiste|consistent|se definit|correspond|represente)\b|\s?:(?:\s|$)/u;
/** Words that may stand in a definition's subject besides the defined term (« le territoire défini comme »). */
const SUBJECT_EXTRAS = new Set([
  'defin',
  'entendu',
  'appel',
  'nomm',
  'design',
  'dit',
  'tel',
  'term',
  'notion',
]);

const sameTerm = (a: string, b: string) =>
  a === b || (Math.min(a.length, b.length) >= 5 && (a.startsWith(b) || b.startsWith(a)));

/**
 * How strongly a sentence defines the subject: 1 for « X est un… », « X : … », « X désigne … », 0.5 for
 * « X est : … », 0 when its subject is something else. `forms` are the subject's analyzed terms, one list per
 * way of writing it (an acronym and its long form).
 */
export function definitionStrength(
  sentence: string,
  forms: string[][],
  analyze: (text: string) => string[],
): number {
  const text = plain(sentence);
  // A bibliographic reference (« Foudriat, M. (2016). La co-construction : … ») names, it does not define.
  if (/\(\d{4}\)/.test(text)) return 0;
  const marker = DEFINING_VERB.exec(text.slice(0, 160));
  if (!marker) return 0;
  const subject = text
    .slice(0, marker.index)
    .replace(/\([^)]*\)/g, ' ')
    .replace(/,[^,]{0,80},/g, ' ')
    .replace(/[«»"]/g, ' ');
  const terms = analyze(subject).filter((term) => !SUBJECT_EXTRAS.has(term) && !/^\d+$/.test(term));
  const defines = forms.some(
    (form) =>
      form.length > 0 &&
      form.every((want) => terms.some((term) => sameTerm(term, want))) &&
      terms.every((term) => form.some((want) => sameTerm(term, want))),
  );
  if (!defines) return 0;
  const after = text.slice(marker.index + marker[0].length).trimStart();
  // A definition says something: « La co-construction : une alternative managériale » is a title.
  if (after.split(/\s+/).filter((word) => /\p{L}{2,}/u.test(word)).length < 6) return 0;
  return /^:/.test(after) ? 0.5 : 1;
}

/** Whether a heading asks what the subject is (« Qu'entend-on par co-construction ? »): its first sentence says. */
export function headingAsksDefinition(
  heading: string,
  forms: string[][],
  analyze: (text: string) => string[],
): boolean {
  const subject = definitionSubject(heading.replace(/\(\d+\)/g, ' '));
  if (!subject) return false;
  const terms = analyze(subject);
  return forms.some(
    (form) =>
      form.length > 0 &&
      form.every((want) => terms.some((term) => sameTerm(term, want))) &&
      terms.every((term) => form.some((want) => sameTerm(term, want))),
  );
}
