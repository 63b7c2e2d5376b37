import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import type { ExportFormat } from './exports.ts';
import type { FicheRef } from './intents.ts';

/**
 * « exporter la fiche 7 en Word », « fiche 7 en markdown », « télécharger la fiche », « rédige la convention
 * du programme … »: the document requests, recognized in French whatever the accents and case. A question
 * about conventions (« comment rédiger une convention ? ») is not a request: it goes to the knowledge base.
 */

export type ExportIntent =
  | { kind: 'export'; ref?: FicheRef; format: ExportFormat }
  /** `programme` as typed (accents kept), to be matched against the programmes (findProgramme). */
  | { kind: 'convention'; programme?: string };

const POLITE_WORDS =
  '(?:peux tu|pourrais tu|pouvez vous|pourriez vous|tu peux|vous pouvez|merci de|je voudrais que tu|j aimerais que tu) ';
const POLITE = `(?:${POLITE_WORDS})?`;
const PLEASE = '(?: (?:stp|svp|s il (?:te|vous) plait|merci))*';
const FICHE = '(?:(?:la|ma|cette|une|notre) )?fiches?(?: actions?)?';
const NUMBER = '(?: (?:n(?:o|umero)? ?)?(\\d{1,5}))?';
const FORMAT = '(?:en|au format|format|version|sous forme de|en format) (word|docx|doc|markdown|md)';
const EXPORT_VERB =
  '(?:exporte[rz]?|telecharge[rz]?|recupere[rz]?|envoie[rz]?|envoyer|genere[rz]?|donne[rz]?|(?:je (?:veux|voudrais)|j aimerais) (?:telecharger|exporter|recevoir|avoir))(?: moi)?';

const EXPORT_PATTERNS = [
  // exporter la fiche 7 en Word, télécharger la fiche, exporte en markdown
  new RegExp(`^${POLITE}${EXPORT_VERB}(?: (?:de )?${FICHE}${NUMBER})?(?: ${FORMAT})?${PLEASE}$`),
  // fiche 7 en markdown
  new RegExp(`^${FICHE}${NUMBER} ${FORMAT}${PLEASE}$`),
  // la version Word de la fiche 7
  new RegExp(`^(?:la )?version (word|docx|doc|markdown|md) (?:de )?${FICHE}${NUMBER}${PLEASE}$`),
];

const formatOf = (word: string | undefined): ExportFormat | undefined =>
  word === undefined ? undefined : /^(?:markdown|md)$/.test(word) ? 'md' : 'docx';

function parseExport(normalized: string): ExportIntent | undefined {
  for (const pattern of EXPORT_PATTERNS) {
    const match = pattern.exec(normalized);
    if (!match) continue;
    const groups = match.slice(1).filter((group) => group !== undefined);
    const number = groups.find((group) => /^\d+$/.test(group));
    const format = formatOf(groups.find((group) => !/^\d+$/.test(group)));
    // « télécharger » alone names nothing: a fiche or a format must be said.
    if (!/\bfiches?\b/.test(normalized) && !format) return undefined;
    return {
      kind: 'export',
      ...(number ? { ref: { number: Number(number) } } : {}),
      format: format ?? 'docx',
    };
  }
  return undefined;
}

const IMPERATIVE =
  '(?:redige[sz]?|prepare[sz]?|genere[sz]?|ecris|ecrivez|produis|produisez|fais|faites|assemble[sz]?|etablis|etablissez|cree[sz]?)';
const INFINITIVE = '(?:rediger|preparer|generer|ecrire|produire|faire|assembler|etablir|creer)';
const DRAFT = '(?:(?:le|un) (?:projet|brouillon) (?:de )?)?';
const CONVENTION = new RegExp(
  `^(${POLITE_WORDS})?(${IMPERATIVE}|${INFINITIVE})(?: moi)? ${DRAFT}(la |notre |ma |une )?convention(?: de partenariat)?\\b`,
);

/** What follows « convention » in the message as typed: « du programme « Bien manger » » → « Bien manger ». */
function programmeAfter(text: string): string | undefined {
  const index = text.search(/convention/i);
  let rest = text.slice(index + 'convention'.length);
  const cues =
    /^\s*(?:de partenariat|du programme|pour le programme|sur le programme|relative au programme|relative [àa]|programme|de la|de l[’']|du|pour|:)(?=[\s«"“’']|$)\s*/i;
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(cues, '');
  }
  const programme = rest
    .replace(/\s*(?:,?\s*(?:stp|svp|s['’]il (?:te|vous) pla[iî]t|merci))+\s*[.!?]*\s*$/i, '')
    .replace(/[\s.!?]+$/, '')
    .replace(/^[«"“]\s*/, '')
    .replace(/\s*[»"”]$/, '')
    .trim();
  return programme || undefined;
}

function parseConvention(text: string, normalized: string): ExportIntent | undefined {
  const match = CONVENTION.exec(normalized);
  if (!match) return undefined;
  const [, polite, verb, determiner] = match;
  // « rédiger une convention » is how one asks about conventions in general; « rédige », « peux-tu
  // rédiger » or « rédiger la convention » ask for ours.
  const infinitive = new RegExp(`^${INFINITIVE}$`).test(verb!);
  if (infinitive && !polite && (determiner === undefined || determiner === 'une ')) return undefined;
  const programme = programmeAfter(text);
  return { kind: 'convention', ...(programme ? { programme } : {}) };
}

export function parseExportIntent(text: string): ExportIntent | undefined {
  const normalized = normalizeForMatch(text);
  if (normalized === '') return undefined;
  return parseExport(normalized) ?? parseConvention(text, normalized);
}
