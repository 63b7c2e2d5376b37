import { isStopword, words } from './text/french-analyzer.ts';
import { foldAccents } from './text/normalize.ts';

/**
 * What a question asks for when it asks for a precise fact, and how to recognise that fact in a sentence. A
 * passage about the right subject that lacks the fact (no amount for « quel montant », no date for « quand
 * aura lieu ») does not answer: the documents do not say, and a confident answer would mislead.
 */
export type FactKind =
  | 'amount'
  | 'rate'
  | 'phone'
  | 'email'
  | 'address'
  | 'website'
  | 'hours'
  | 'date'
  | 'duration'
  | 'frequency'
  | 'number'
  | 'person';

interface FactRule {
  kind: FactKind;
  /** Tested on the question in lower case without accents. */
  asked: RegExp;
  /** Tested on a sentence of a passage, as written. */
  held: RegExp;
  /** « Les documents ne précisent pas … » */
  missing: string;
}

const MONTHS =
  'janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|decembre|décembre';
const NUMBER_WORDS =
  'deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|cinquante|cent|mille|dizaine|douzaine|centaine|quelques|plusieurs|moitié|tiers|quart';
const NUMBER = `\\d|\\b(?:${NUMBER_WORDS})\\b`;
/** « Prénom Nom » is two capitalised words in a row that the documents rarely use otherwise. */
const CAPITALISED = /^[A-ZÉÈ][a-zéèëïôç]+$/u;
const NOT_A_NAME = /^(?:Le|La|Les|Un|Une|Des|Du|De|Et|En|Au|Aux|Pour|Par|Sur|Dans|Avec|Il|Elle|Ce|Cette)$/u;
const TIME_UNIT = '\\b(?:ans?|années?|mois|semaines?|jours?|heures?|trimestres?)\\b';

/** First match wins: the more specific kinds come before « combien ». */
const RULES: FactRule[] = [
  {
    kind: 'amount',
    // « Quel montant », « combien coûte »: the value is asked, not how a budget is shared out.
    asked:
      /\bquel(?:le)?s? (?:est |sont |etait |a ete )?(?:le |la |les )?(?:montant|budget|cout|prix|tarif|salaire|somme|remuneration)s?\b|\bcombien (?:coute|coutent|gagne|gagnent|d euros|a[- ]t[- ](?:il|elle) (?:verse|paye|recu|touche))|\ba combien s eleve/,
    held: /\d[\d\s\u202f\u00a0.,]*(?:€|euros?\b|k€|m€)|\b(?:euros?|€)/iu,
    missing: 'ce montant',
  },
  {
    kind: 'rate',
    asked:
      /\bquel(?:le)? (?:est |etait )?(?:le |la )?(?:taux|pourcentage|proportion)\b|\bcombien de pour ?cent\b/,
    held: /\d\s?%|\bpour ?cent\b/iu,
    missing: 'ce taux',
  },
  {
    kind: 'phone',
    asked: /\b(?:numero de telephone|telephone|numero d appel|joindre par telephone)\b/,
    held: /(?:\+33|\b0)\s?[1-9](?:[\s.-]?\d\d){4}\b/u,
    missing: 'ce numéro de téléphone',
  },
  {
    kind: 'email',
    asked: /\b(?:e ?mail|courriel|adresse (?:electronique|mail))\b/,
    held: /[\w.+-]+@[\w-]+\.[\w.]+/u,
    missing: 'cette adresse électronique',
  },
  {
    kind: 'website',
    asked: /\b(?:site (?:internet|web)|url|lien (?:du|vers le) site)\b/,
    held: /https?:\/\/|\bwww\.|\b[\w-]+\.(?:fr|org|com|gouv\.fr)\b/iu,
    missing: 'ce site',
  },
  {
    kind: 'address',
    asked:
      /\b(?:adresse postale|quelle est l adresse|l adresse (?:de|du|des)|ou (?:se trouvent|se situent|se trouve|se situe) (?:les locaux|le siege|les bureaux))\b/,
    held: /\b\d{1,4}(?:\s?(?:bis|ter))?,?\s(?:rue|avenue|av\.|boulevard|bd|place|allée|quai|chemin|impasse|cours)\b|\b\d{5}\s[A-ZÉ]/u,
    missing: 'cette adresse',
  },
  {
    kind: 'hours',
    asked: /\b(?:horaires?|heures? d ouverture|a quelle heure|ouvert le|ouverte le)\b/,
    held: /\b\d{1,2}\s?h(?:\s?\d\d)?\b|\b\d{1,2}:\d\d\b/u,
    missing: 'ces horaires',
  },
  {
    kind: 'frequency',
    asked: /\b(?:frequence|periodicite|tous les combien|combien de fois|quel rythme)\b/,
    held: new RegExp(
      `\\bfois\\b|\\btou(?:s|tes) les (?:[\\w-]+ )?(?:${TIME_UNIT}|\\d)|\\bchaque (?:année|an|mois|semaine|trimestre)\\b|périodicité|annuel|trimestriel|mensuel|hebdomadaire|semestriel|\\bpar (?:an|mois|semaine)\\b`,
      'iu',
    ),
    missing: 'cette fréquence',
  },
  {
    kind: 'duration',
    asked: /\b(?:combien de temps|duree|pendant combien|dure combien|durent combien)\b/,
    held: new RegExp(`(?:${NUMBER})[^.;]{0,30}${TIME_UNIT}|pluriannuel|annuel|${TIME_UNIT}`, 'iu'),
    missing: 'cette durée',
  },
  {
    kind: 'date',
    // « Quand a eu lieu… », « quand aura lieu… », « quand s'est tenue… » ask for the date of an event; « quand
    // organiser… », « quand la convention prend-elle effet ? » ask for a moment in a method, in the present.
    asked:
      /\b(?:quelle date|a quelle date|en quelle annee|depuis quand|date (?:de|du|des|d|limite)|quel jour)\b|\bquand\b(?=.*\b(?:(?:a|ont|avait|avaient|aura|auront|est|sont|etait|etaient|sera|seront)(?: t)?(?: (?:il|elle|ils|elles|on))? (?:eu|ete|lieu|\w+(?:e|es|ee|ees|i|is|it|u|us))|\w{3,}(?:ra|ront))\b)/,
    held: new RegExp(`\\b(?:1[89]|20)\\d\\d\\b|\\b(?:${MONTHS})\\b|\\b\\d{1,2}/\\d{1,2}\\b`, 'iu'),
    missing: 'cette date',
  },
  {
    kind: 'person',
    asked:
      /\bqui (?:dirige|preside|est (?:le|la) (?:directeur|directrice|president|presidente|responsable|chef|delegue|deleguee|maire))\b|\bquel(?:le)? (?:est le nom|directeur|directrice|dirigeant|dirigeante|president|presidente|chercheur|chercheuse|responsable)\b|\bnom (?:du|de la|de l)\b/,
    held: /\p{Lu}/u,
    missing: 'le nom de cette personne',
  },
  {
    kind: 'number',
    asked: /\bcombien\b|\bquel (?:est le )?nombre\b|\bnombre de\b/,
    held: new RegExp(NUMBER, 'iu'),
    missing: 'ce nombre',
  },
];

export interface ExpectedFact {
  kind: FactKind;
  missing: string;
  /** Whether a sentence states the fact; `isRare` tells a name from a common word of the documents. */
  heldIn: (sentence: string, isRare: (word: string) => boolean) => boolean;
  /** The thing counted in « combien de collectivités », as written, which the number must count. */
  counted?: string;
}

/** The question as the rules read it: lower case, no accents, punctuation as spaces. */
function questionForm(question: string): string {
  return foldAccents(question.toLowerCase())
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Words that present a date as still to come. */
const UPCOMING =
  /\b(?:aura|auront|se tiendra|se tiendront|sera|seront|aura lieu|prochaine?s?|à venir|a venir|prévue?s? (?:le|en|pour|à|a)|prevue?s? (?:le|en|pour|a))\b/iu;

/** How far a number may stand from what it counts: « six collectivités retenues », « critères … (4 maximum) ». */
const COUNT_WINDOW = { before: 3, after: 4 };
const NUMBER_TOKEN = new RegExp(`^(?:\\d+|${NUMBER_WORDS})$`, 'iu');

/** The precise fact a question asks for, if it asks for one. `analyze` gives a word's index terms. */
export function expectedFact(
  question: string,
  analyze: (text: string) => string[],
): ExpectedFact | undefined {
  const form = questionForm(question);
  const rule = RULES.find((candidate) => candidate.asked.test(form));
  if (!rule) return undefined;
  const written = words(question);
  const after = written.findIndex((word, i) => /^(?:combien|nombre)$/iu.test(word) && i < written.length - 1);
  // « combien de villes », « combien y a-t-il de MAIA »: the first word that carries meaning.
  const next = written.slice(after + 1, after + 7).find((word) => !isStopword(word) && !/^t$/iu.test(word));
  const counted = rule.kind === 'number' && after >= 0 ? next : undefined;
  // Numbers of the question (« ACTeS-77 », « en 2023 ») are not the answer to it.
  const asked = new Set(form.match(/\d+/g) ?? []);
  const countedTerm = counted ? analyze(counted)[0] : undefined;
  const upcoming = rule.kind === 'date' && /\bprochaine?s?\b/.test(form);
  const heldIn = (sentence: string, isRare: (word: string) => boolean) => {
    const text = sentence.replace(/\d+/g, (digits) => (asked.has(digits) ? ' ' : digits));
    if (rule.kind === 'person') {
      const tokens = text.split(/[\s/]+/).map((token) => token.replace(/[.,;:)]+$/, ''));
      return tokens.some(
        (token, i) =>
          i + 1 < tokens.length &&
          CAPITALISED.test(token) &&
          CAPITALISED.test(tokens[i + 1]!) &&
          !NOT_A_NAME.test(token) &&
          isRare(token) &&
          isRare(tokens[i + 1]!),
      );
    }
    if (!rule.held.test(text)) return false;
    // « Quand aura lieu le prochain webinaire ? » asks for an event to come, not the date of a past one.
    if (upcoming && !UPCOMING.test(text)) return false;
    if (!countedTerm) return true;
    // The number must count the thing asked: « une dizaine de villes », not « Réseau 77 » in the same line.
    const tokens = words(text);
    const numbers = tokens.flatMap((token, i) => (NUMBER_TOKEN.test(token) ? [i] : []));
    const things = tokens.flatMap((token, i) => (analyze(token)[0] === countedTerm ? [i] : []));
    if (things.length === 0) return true;
    return things.some((at) =>
      numbers.some((n) => (n < at ? at - n <= COUNT_WINDOW.before : n - at <= COUNT_WINDOW.after)),
    );
  };
  return { kind: rule.kind, missing: rule.missing, heldIn, ...(counted ? { counted } : {}) };
}

/** Nouns that introduce a named programme, body or place: « le programme Zéphyr », « la ville de Meaux ». */
const ENTITY_NOUN =
  /^(?:programme|projet|dispositif|plan|réseau|reseau|comité|comite|association|fondation|ville|commune|mairie|département|departement|région|region|agglomération|agglomeration|centre|hôpital|hopital|maison|cls|clsm|asv|cpts|coopérative|cooperative|opération|operation|appel|contrat|quartier)$/iu;
const LINKING = /^(?:de|du|des|d|la|le|les|l)$/iu;

export interface QuestionName {
  /** As written. */
  word: string;
  /** Whether it is capitalised after a noun such as « programme » or « ville de ». */
  introduced: boolean;
}

/**
 * Words of a question that name something: a capitalised word other than the first, an acronym, a number or
 * a year, and any word that follows « le programme », « la ville de »… The documents must hold them for a
 * passage to answer about them.
 */
export function questionNames(question: string, isStopword: (word: string) => boolean): QuestionName[] {
  const written = words(question);
  const names: QuestionName[] = [];
  written.forEach((word, i) => {
    let j = i - 1;
    while (j >= 0 && LINKING.test(written[j]!)) j--;
    const introduced = j >= 0 && j < i && ENTITY_NOUN.test(written[j]!) && /^\p{Lu}/u.test(word);
    const shaped = (i > 0 && /^\p{Lu}/u.test(word)) || /^[A-Z0-9]{2,}$/.test(word) || /\d/.test(word);
    if ((shaped || introduced) && !isStopword(word) && !ENTITY_NOUN.test(word))
      names.push({ word, introduced });
  });
  return names;
}
