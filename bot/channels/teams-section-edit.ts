import type { Attachment } from '@microsoft/agents-activity';
import { ActionId } from '../core/actions.ts';
import type { Reply } from '../core/types.ts';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * The recap card's edit controls, one button per section (« Modifier : Moyens »), in the reply's card: each
 * brings the section's form (teams-section-form.ts).
 */
export function withSectionEdits(card: Attachment | undefined, reply: Reply): Attachment | undefined {
  const sections = (reply.card?.sections ?? []).filter(
    (section) => section.edit?.actionId === ActionId.EditSection,
  );
  if (sections.length === 0) return card;
  const actionSet = {
    type: 'ActionSet',
    actions: sections.map((section) => ({
      type: 'Action.Submit',
      title: `${section.edit!.label} : ${section.title}`,
      data: { actionId: ActionId.EditSection, value: section.edit!.value },
    })),
  };
  const content = (card?.content as Record<string, unknown> | undefined) ?? {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    actions: [],
  };
  return {
    contentType: ADAPTIVE_CARD,
    content: { ...content, body: [...((content.body as unknown[] | undefined) ?? []), actionSet] },
  };
}
