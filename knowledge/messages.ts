import type { QueryNotice } from './query.ts';

const DOCUMENTS =
  "Les documents de référence (guide de la Coopérative d'acteurs de l'ARS Île-de-France, PRS3 axe 6, " +
  'ACTeS-77, Réseau 77, webinaire du CRES)';
const SUPPORT =
  "Pour un appui, adressez-vous à la délégation départementale (DD) de l'ARS Île-de-France ou à Promotion " +
  'Santé Île-de-France.';

/** Every sentence the knowledge base says on its own, in one place. */
export const MESSAGES = {
  notCovered: `${DOCUMENTS} ne couvrent pas cette question. ${SUPPORT}`,
  support: SUPPORT,
  /** The question names a programme, body or place the documents never mention. */
  notNamed: (name: string) => `${DOCUMENTS} ne mentionnent pas « ${name} ». ${SUPPORT}`,
  /** The documents are about the subject but do not state the fact asked. */
  notStated: (missing: string) => `Les documents de référence ne précisent pas ${missing}.`,
  closest: 'Voici ce qu’ils disent de plus proche :',
  emptyQuestion:
    'Posez-moi une question sur la méthodologie de projet en promotion de la santé, par exemple : ' +
    '« Comment rédiger une convention de partenariat ? »',
  sourcesHeading: 'Sources :',
  llmUnavailable:
    'Réponse extractive : le modèle de langue n’a pas répondu, voici donc les passages des documents cités tels quels.',
} as const;

export const NOTICES: Record<QueryNotice, string> = {
  truncated: 'Votre message était très long : seuls ses 1 000 premiers caractères ont été pris en compte.',
  english:
    'Les documents sont en français : je réponds en français. Reformulez en français pour de meilleurs résultats.',
  'instructions-ignored':
    "Je m'en tiens aux documents de référence : les consignes contenues dans le message ne sont pas suivies.",
};
