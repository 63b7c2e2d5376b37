import type { Passage } from '../../knowledge/types.ts';
import { SHOW_PASSAGES_LABEL, SUGGESTED_QUESTIONS } from './messages.ts';
import type { Choice } from './types.ts';

/** Action ids the core understands; every channel sends them back unchanged in IncomingAction.id. */
export const ActionId = {
  Feedback: 'feedback',
  ShowPassages: 'show_passages',
  /** A suggested question clicked: its text is in the action value. */
  Ask: 'ask',
  /**
   * A card section's edit control: its value is a native form reference (forms/native.ts). Channels open their
   * own form with it; a channel that sends it as a message gets the conversation's « modifier ».
   */
  EditSection: 'edit_section',
} as const;

const MAX_PASSAGES_SHOWN = 5;

/**
 * The "Voir les passages" button. Its value lists the passage ids, so any process can answer the
 * click from the knowledge base without reading the stored interaction back.
 */
export function showPassagesChoice(passages: Pick<Passage, 'id'>[]): Choice {
  return {
    label: SHOW_PASSAGES_LABEL,
    actionId: ActionId.ShowPassages,
    value: passages
      .slice(0, MAX_PASSAGES_SHOWN)
      .map((passage) => passage.id)
      .join(','),
  };
}

export function parsePassageIds(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
    .slice(0, MAX_PASSAGES_SHOWN);
}

/** The document part of a passage id `<document>:<ordinal>`. */
export function documentOfPassage(passageId: string): string {
  const separator = passageId.lastIndexOf(':');
  return separator > 0 ? passageId.slice(0, separator) : passageId;
}

export function suggestedQuestionChoices(): Choice[] {
  return SUGGESTED_QUESTIONS.map((question) => ({
    label: question,
    actionId: ActionId.Ask,
    value: question,
  }));
}
