import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUGGESTED_QUESTIONS } from '../../bot/core/messages.ts';

const manifest = JSON.parse(readFileSync(new URL('../../slack/manifest.json', import.meta.url), 'utf8'));

describe('slack/manifest.json', () => {
  it('asks for the scopes and events the adapter uses', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'app_mentions:read',
        'chat:write',
        'im:history',
        'im:read',
        'im:write',
        'assistant:write',
        'commands',
        'users:read',
        // The person is matched on their e-mail (users.info), and documents are uploaded into the thread.
        'users:read.email',
        'files:write',
        // A Word fiche shared in a message is downloaded with the bot token.
        'files:read',
      ]),
    );
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining([
        'app_mention',
        'message.im',
        'assistant_thread_started',
        'assistant_thread_context_changed',
      ]),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('sends events, clicks and /boussole to the one /slack/events URL', () => {
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((command: { url: string }) => command.url),
    ];
    expect(new Set(urls)).toEqual(new Set(['https://YOUR-HOST/slack/events']));
    expect(manifest.features.slash_commands[0].command).toBe('/boussole');
  });

  it('suggests in the assistant panel the same French questions as the bot', () => {
    const prompts = manifest.features.assistant_view.suggested_prompts.map(
      (p: { message: string }) => p.message,
    );
    expect(prompts).toEqual([...SUGGESTED_QUESTIONS]);
  });
});
