import { ErrorCode } from './errors.ts';

/** Every French text the core says, in one place. */

export const STATUS_SEARCHING = 'Recherche dans le guide…';

export const MAX_QUESTION_LENGTH = 4_000;

export const SUGGESTED_QUESTIONS = [
  'Comment rédiger une convention de partenariat ?',
  'Quelles sont les étapes d’un diagnostic local de santé ?',
  'Comment suivre un projet avec un tableau de bord ?',
  'Comment évaluer une action de promotion de la santé ?',
] as const;

/** The first words of a new conversation (Slack's assistant panel opens with them). */
export const GREETING =
  'Bonjour ! Je réponds à vos questions de méthode en promotion de la santé, à partir du guide, avec les sources. Que voulez-vous savoir ?';

export const SUGGESTED_QUESTIONS_TITLE = 'Exemples de questions';

export const HELP_TEXT = [
  'Bonjour ! Je suis *Boussole*, l’assistant méthodologique en promotion de la santé.',
  'Posez-moi une question de méthode : je réponds en m’appuyant sur le guide de la Coopérative d’acteurs et les documents du projet ACTeS-77, avec des références [n] que vous pouvez ouvrir.',
  'Quelques exemples :',
].join('\n\n');

export const EMPTY_TEXT =
  'Je n’ai pas reçu de question. Écrivez-la en quelques mots, par exemple : « Comment rédiger une convention ? »';

export const WORDLESS_TEXT =
  'Je ne lis que le texte : posez votre question avec des mots, par exemple « Quelles sont les étapes d’un diagnostic local de santé ? »';

export const TRUNCATED_NOTICE = `Votre message dépassait ${MAX_QUESTION_LENGTH.toLocaleString('fr-FR')} caractères : je n’en ai lu que le début.`;

export const UNKNOWN_ACTION =
  'Ce bouton n’est plus disponible. Posez de nouveau votre question pour obtenir une réponse à jour.';

export const UNKNOWN_INTERACTION =
  'Je ne retrouve pas la réponse concernée : votre avis n’a pas pu être enregistré. Posez de nouveau la question si besoin.';

export const FEEDBACK_THANKS = {
  up: 'Merci pour votre retour 👍 : c’est noté.',
  down: 'Merci pour votre retour : c’est noté, il servira à améliorer les réponses.',
} as const;

export const PASSAGES_INTRO = 'Passages du guide sur lesquels s’appuie la réponse :';

export const PASSAGES_GONE =
  'Ces passages ne sont plus disponibles (le guide a peut-être été mis à jour). Posez de nouveau votre question.';

export const SHOW_PASSAGES_LABEL = 'Voir les passages';

const APOLOGIES: Record<ErrorCode, string> = {
  [ErrorCode.InvalidInput]: 'Je n’ai pas pu lire ce message. Pouvez-vous le reformuler ?',
  [ErrorCode.KnowledgeUnavailable]:
    'Le guide est momentanément indisponible. Réessayez dans quelques instants.',
  [ErrorCode.StorageUnavailable]:
    'Un problème technique m’empêche d’enregistrer cet échange. Réessayez dans quelques instants.',
  [ErrorCode.ChannelSendFailed]: 'Je n’ai pas pu envoyer la réponse. Réessayez dans quelques instants.',
  [ErrorCode.Unknown]: 'Désolé, une erreur inattendue s’est produite. Réessayez dans quelques instants.',
};

export function apologyFor(code: ErrorCode): string {
  return APOLOGIES[code];
}
