import { foldAccents, normalizeForMatch } from './normalize.ts';

/**
 * Acronyms of local public-health work and their long forms, as référents write them.
 * Ingest adds the definitions it finds in the sources ("Contrat local de santé (CLS)").
 */
export const FIELD_ACRONYMS: Record<string, string[]> = {
  ARS: ['agence régionale de santé'],
  ASV: ['atelier santé ville', 'ateliers santé ville'],
  CA: ["coopérative d'acteurs", "coopératives d'acteurs"],
  CCAS: ["centre communal d'action sociale"],
  CLS: ['contrat local de santé', 'contrats locaux de santé'],
  CLSM: ['conseil local de santé mentale', 'conseils locaux de santé mentale'],
  COPIL: ['comité de pilotage'],
  COTECH: ['comité technique'],
  CPOM: ["contrat pluriannuel d'objectifs et de moyens"],
  CPTS: [
    'communauté professionnelle territoriale de santé',
    'communautés professionnelles territoriales de santé',
  ],
  CRES: ["comité régional d'éducation pour la santé"],
  DAC: ["dispositif d'appui à la coordination"],
  DD: ['délégation départementale', 'délégations départementales'],
  DLS: ['diagnostic local de santé', 'diagnostics locaux de santé'],
  DPSRI: ['direction de la promotion de la santé et de la réduction des inégalités'],
  EIS: ["évaluation d'impact sur la santé", "évaluations d'impact sur la santé"],
  EPCI: ['établissement public de coopération intercommunale'],
  ETP: ['éducation thérapeutique du patient', 'équivalent temps plein'],
  FIR: ["fonds d'intervention régional"],
  IDF: ['Île-de-France'],
  IREPS: ["instance régionale d'éducation et de promotion de la santé"],
  ISS: ['inégalités sociales de santé'],
  ISTS: ['inégalités sociales et territoriales de santé'],
  MAIA: ["méthode d'action pour l'intégration des services d'aide et de soins"],
  MSP: ['maison de santé pluriprofessionnelle', 'maisons de santé pluriprofessionnelles'],
  PMI: ['protection maternelle et infantile'],
  PRAPS: ["programme régional d'accès à la prévention et aux soins"],
  PRS: ['projet régional de santé'],
  PTA: ["plateforme territoriale d'appui", "plateformes territoriales d'appui"],
  QPV: [
    'quartier prioritaire de la politique de la ville',
    'quartiers prioritaires de la politique de la ville',
  ],
};

export type AcronymTable = Map<string, string[]>;

/** "(CLS)": an acronym in parentheses, the cheap part of a definition to find. */
const ACRONYM_IN_PARENTHESES = /\(\s*([A-Z][A-Za-z0-9-]{1,9})\s*\)/g;
/** The long form just before it: a run of letters, spaces, apostrophes and hyphens, ending the text. */
const LONG_FORM_BEFORE = /[\p{L}][\p{L}'’\- ]{6,120}?\s*$/u;
/** Longest long form the pattern above accepts. */
const LONG_FORM_WINDOW = 121;
const LINKING_WORDS = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'et',
  'pour',
  'a',
  'au',
  'aux',
  'en',
  'l',
  'd',
  'sur',
]);

/** The letters a long form would give as an acronym, ignoring linking words: "contrat local de santé" -> "cls". */
function initials(words: string[]): string {
  return words
    .filter((word) => !LINKING_WORDS.has(word))
    .map((word) => word[0])
    .join('');
}

/**
 * Finds "long form (ACRONYM)" definitions in a text and keeps those whose long form's initials spell the
 * acronym (the shortest tail of the preceding words that does), so that "Le Contrat local de santé (CLS)"
 * yields CLS -> "contrat local de santé".
 */
export function extractAcronymDefinitions(text: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  // Looking for the parenthesis first, then only at the text just before it, keeps this linear: a single
  // pattern for both parts retried its long form at every letter of the text (seconds on a 5 MB file).
  for (const match of text.matchAll(ACRONYM_IN_PARENTHESES)) {
    let end = match.index;
    while (end > 0 && /\s/.test(text[end - 1]!)) end--;
    const longForm = LONG_FORM_BEFORE.exec(text.slice(Math.max(0, end - LONG_FORM_WINDOW), match.index));
    if (!longForm) continue;
    const acronym = match[1]!.replace(/-/g, '');
    const target = foldAccents(acronym.toLowerCase());
    const before = longForm[0].trim().split(/\s+/);
    for (let start = before.length - 1; start >= 0; start--) {
      const candidate = before.slice(start);
      const letters = initials(candidate.map((w) => normalizeForMatch(w).replace(/ .*/, '')));
      if (letters === target) {
        found.push([acronym.toUpperCase(), candidate.join(' ')]);
        break;
      }
      if (letters.length > target.length) break;
    }
  }
  return found;
}

/** The field's acronyms merged with those defined in the given texts. Keys are upper case. */
export function buildAcronymTable(texts: string[]): AcronymTable {
  const table: AcronymTable = new Map(Object.entries(FIELD_ACRONYMS).map(([k, v]) => [k, [...v]]));
  for (const text of texts) {
    for (const [acronym, longForm] of extractAcronymDefinitions(text)) {
      const forms = table.get(acronym) ?? [];
      if (!forms.some((form) => normalizeForMatch(form) === normalizeForMatch(longForm)))
        forms.push(longForm);
      table.set(acronym, forms);
    }
  }
  return table;
}
