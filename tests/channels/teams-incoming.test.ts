import { Activity } from '@microsoft/agents-activity';
import { describe, expect, it } from 'vitest';
import {
  invalidActivityReason,
  isLoopbackUrl,
  toFeedback,
  toIncomingMessage,
} from '../../bot/channels/teams-incoming.ts';
import { BOT, feedbackInvoke, personalMessage, TENANT, USER } from './teams-harness.ts';

const SERVICE_URL = 'https://smba.trafficmanager.net/fr/';

function groupChat(text: string, mentions: { id: string; name: string }[]) {
  return Activity.fromObject(
    personalMessage(SERVICE_URL, {
      conversation: {
        id: '19:group-chat@thread.v2',
        conversationType: 'groupChat',
        isGroup: true,
        tenantId: TENANT,
      },
      text,
      entities: mentions.map((mentioned) => ({
        type: 'mention',
        mentioned,
        text: `<at>${mentioned.name}</at>`,
      })),
    }),
  );
}

describe('toIncomingMessage', () => {
  it('answers a group chat only when mentioned, and keeps other people’s names as plain text', () => {
    const other = { id: '29:user-lea', name: 'Léa' };
    expect(toIncomingMessage(groupChat('<at>Léa</at> tu as le guide ?', [other]))).toBeUndefined();

    const incoming = toIncomingMessage(groupChat('<at>Boussole</at> que dit <at>Léa</at> ?', [BOT, other]));
    expect(incoming).toMatchObject({
      text: 'que dit Léa ?',
      isDirect: false,
      conversationId: '19:group-chat@thread.v2',
      threadId: undefined,
      userId: USER.aadObjectId,
      userName: USER.name,
    });
  });

  it('falls back to the Bot Framework user id when Teams gives no AAD object id', () => {
    const activity = Activity.fromObject(
      personalMessage(SERVICE_URL, { from: { id: '29:guest', name: 'Invité' } }),
    );
    expect(toIncomingMessage(activity)?.userId).toBe('29:guest');
  });

  it('marks a card submit without an action id as an unknown action', () => {
    const activity = Activity.fromObject(
      personalMessage(SERVICE_URL, { text: undefined, value: { foo: 'bar' } }),
    );
    expect(toIncomingMessage(activity)?.action).toEqual({ id: 'unknown' });
  });
});

describe('toFeedback', () => {
  it('reads the reaction and the comment, whether the comment is JSON text or an object', () => {
    const asText = Activity.fromObject(feedbackInvoke(SERVICE_URL, 'activity-7', 'like', ' Très utile '));
    expect(toFeedback(asText)).toEqual({ replyToId: 'activity-7', rating: 'up', comment: 'Très utile' });
    const asObject = Activity.fromObject({
      ...feedbackInvoke(SERVICE_URL, 'activity-8', 'dislike', ''),
      value: {
        actionName: 'feedback',
        actionValue: { reaction: 'dislike', feedback: { feedbackText: 'Faux' } },
      },
    });
    expect(toFeedback(asObject)).toEqual({ replyToId: 'activity-8', rating: 'down', comment: 'Faux' });
  });

  it('ignores other submit actions and unknown reactions', () => {
    const other = Activity.fromObject({
      ...feedbackInvoke(SERVICE_URL, 'a', 'like', ''),
      value: { actionName: 'x' },
    });
    expect(toFeedback(other)).toBeUndefined();
    const odd = Activity.fromObject({
      ...feedbackInvoke(SERVICE_URL, 'a', 'like', ''),
      value: { actionName: 'feedback', actionValue: { reaction: 'love' } },
    });
    expect(toFeedback(odd)).toBeUndefined();
  });
});

describe('invalidActivityReason', () => {
  it('accepts a Teams activity and names the missing field otherwise, in French', () => {
    expect(invalidActivityReason(personalMessage(SERVICE_URL))).toBeUndefined();
    expect(invalidActivityReason({ ...personalMessage(SERVICE_URL), from: { name: 'x' } })).toBe(
      'Activité invalide : champ « from.id » manquant ou vide.',
    );
    expect(invalidActivityReason('texte')).toBe('Activité invalide : le corps doit être un objet JSON.');
  });
});

describe('isLoopbackUrl', () => {
  it.each([
    'http://127.0.0.1:3978/',
    'http://127.8.9.10/',
    'http://localhost:9/',
    'http://[::1]:9/',
    'http://[::ffff:127.0.0.1]/',
    'http://2130706433/',
  ])('accepts %s', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each([
    SERVICE_URL,
    'http://0.0.0.0/',
    'http://10.0.0.1/',
    'http://128.0.0.1/',
    'http://[::2]/',
    'http://127.0.0.1.nip.io/',
    'http://localhost.evil.example/',
    'pas une url',
  ])('refuses %s', (url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});
