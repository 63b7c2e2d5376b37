import type { Config } from '../config.ts';
import type { DigestNotifier } from '../core/ports.ts';
import { createSlackNotifier } from './slack-notifier.ts';
import { createTeamsNotifier } from './teams-notifier.ts';

/** The digest notifier of the channels this server has: Slack when configured, Teams unless disabled. */
export function createDigestNotifier(config: Config): DigestNotifier {
  const slack = config.slack ? createSlackNotifier(config.slack) : undefined;
  const teams = createTeamsNotifier(config);
  return {
    async send(destination, digest) {
      const send = destination.place.startsWith('slack') ? slack : teams;
      if (!send) {
        const channel = destination.place.startsWith('slack') ? 'Slack' : 'Teams';
        throw new Error(`${channel} n’est pas configuré sur ce serveur`);
      }
      await send(destination, digest);
    },
  };
}
