import type { ActionsBlock } from '@slack/web-api';
import { ActionId } from '../core/actions.ts';
import type { Reply } from '../core/types.ts';

/** A Block Kit option or button text holds 75 characters. */
export const MAX_OPTION_TEXT = 75;

export const plain = (text: string, max: number) => ({
  type: 'plain_text' as const,
  text: text.length > max ? `${text.slice(0, max - 1)}…` : text,
  emoji: true,
});

/** The recap card's edit controls, one button per section (« Modifier : Moyens »): each opens the section's modal. */
export function sectionEditBlock(reply: Reply): ActionsBlock | undefined {
  const sections = (reply.card?.sections ?? []).filter(
    (section) => section.edit?.actionId === ActionId.EditSection,
  );
  if (sections.length === 0) return undefined;
  return {
    type: 'actions',
    block_id: 'section_edit',
    elements: sections.slice(0, 25).map((section) => ({
      type: 'button',
      action_id: `${ActionId.EditSection}#${section.id}`,
      text: plain(`${section.edit!.label} : ${section.title}`, MAX_OPTION_TEXT),
      value: section.edit!.value,
    })),
  };
}
