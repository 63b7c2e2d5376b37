import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import { parseConfirmation } from '../../core/forms/commands.ts';
import type { Proposal } from '../../core/forms/extraction.ts';
import { FORM_ACTION } from '../../core/forms/render.ts';
import type { FieldDef, FormState } from '../../core/forms/types.ts';
import type { Turn } from '../../core/routes.ts';
import type { Reply } from '../../core/types.ts';
import { FICHE_FORM } from './form.ts';

/**
 * A référent pastes a paragraph describing the action (read by the LLM) or sends the fiche they keep in
 * Word: what was understood is shown as a proposal, unsure values marked, and nothing is saved before
 * they accept. Then only the rest is asked, the unsure values first.
 */

export const ACCEPT = 'proposal:accept';
export const IGNORE = 'proposal:ignore';

/** Below this, a message is an answer to the question asked; above, at a short field, a description. */
const DESCRIPTION_MIN_CHARS = 280;
/** Fields that take long text: a long message there is their answer. */
const LONG_FIELD_CHARS = 1_000;

export function looksLikeDescription(text: string, state: FormState): boolean {
  if (
    /^(?:pre ?remplir|pre ?remplis|voici (?:la )?description|description de l action)\b/.test(
      normalizeForMatch(text),
    )
  ) {
    return text.length > 40;
  }
  if (text.length < DESCRIPTION_MIN_CHARS) return false;
  if (state.cursor.kind !== 'field') return true;
  const fieldId = state.cursor.fieldId;
  const field = FICHE_FORM.fields.find((candidate) => candidate.id === fieldId) as FieldDef | undefined;
  return (field?.maxLength ?? 0) < LONG_FIELD_CHARS;
}

/** The person's answer to a pending proposal: accept, ignore, or something else (the proposal is dropped). */
export function proposalDecision(turn: Turn): 'accept' | 'ignore' | undefined {
  const action = turn.incoming.action;
  if (action?.id === FORM_ACTION && action.value === ACCEPT) return 'accept';
  if (action?.id === FORM_ACTION && action.value === IGNORE) return 'ignore';
  if (action) return undefined;
  const words = normalizeForMatch(turn.text);
  if (/^(?:enregistrer|enregistre|valider|garder|accepter|tout enregistrer)$/.test(words)) return 'accept';
  if (/^(?:ignorer|ignore|oublier|rien)$/.test(words)) return 'ignore';
  const confirmation = parseConfirmation(turn.text);
  return confirmation === undefined ? undefined : confirmation ? 'accept' : 'ignore';
}

export function proposalReply(proposal: Proposal, recordId: string | undefined): Reply {
  const from = proposal.source === 'llm' ? 'de votre texte' : 'de votre fichier Word';
  const lines = [`Voici ce que j’ai compris ${from} — *rien n’est encore enregistré* :`];
  for (const item of proposal.understood) {
    lines.push(
      `${item.unsure ? '❓' : '✓'} *${item.label}* : ${item.echo}${item.unsure ? ' _(à vérifier)_' : ''}`,
    );
  }
  for (const item of proposal.rejected) {
    lines.push(`✗ *${item.label}* : « ${item.value.slice(0, 80)} » n’est pas retenu — ${item.message}`);
  }
  const unsure = proposal.understood.filter((item) => item.unsure).length;
  lines.push(
    `Si vous enregistrez, je vous ${unsure > 0 ? `ferai d’abord confirmer les ${unsure} réponse(s) à vérifier, puis je ` : ''}poserai seulement les questions restantes.`,
  );
  return {
    text: lines.join('\n'),
    citations: [],
    aiGenerated: proposal.source === 'llm',
    feedback: false,
    choices: [
      { label: 'Enregistrer ces réponses', actionId: FORM_ACTION, value: ACCEPT, style: 'primary' },
      { label: 'Ignorer', actionId: FORM_ACTION, value: IGNORE },
    ],
    form: { formId: FICHE_FORM.id, step: 'confirm', recordId },
  };
}
