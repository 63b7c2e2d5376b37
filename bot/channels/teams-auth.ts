import type { AuthConfiguration } from '@microsoft/agents-hosting';
import type { Config } from '../config.ts';

const SERVICE_CONNECTION = 'serviceConnection';

/**
 * How /api/messages is protected:
 * - `authenticated`: credentials configured (either naming scheme), every request needs a valid Bot Connector token;
 * - `anonymous`: no credentials outside production, open for local testing (Agents Playground, tests, bench);
 * - `disabled`: no credentials in production; the SDK refuses to run open there, and so do we.
 */
export type TeamsAuth =
  | { mode: 'authenticated'; authConfig: AuthConfiguration }
  | { mode: 'anonymous'; authConfig: AuthConfiguration }
  | { mode: 'disabled'; reason: string };

export const TEAMS_DISABLED_MESSAGE =
  "Canal Teams désactivé : en production, renseignez clientId et clientSecret (ou MicrosoftAppId et MicrosoftAppPassword) et le tenant de l'inscription Azure Bot.";

/**
 * Builds the SDK's auth configuration from our validated Config only. Every key is set (even when undefined)
 * so nothing read by the SDK from process.env at load time can leak into the connection.
 */
export function resolveTeamsAuth(config: Config): TeamsAuth {
  if (!config.teams) {
    if (config.env === 'production') return { mode: 'disabled', reason: TEAMS_DISABLED_MESSAGE };
    return {
      mode: 'anonymous',
      authConfig: { clientId: undefined, clientSecret: undefined, tenantId: undefined },
    };
  }
  const settings: AuthConfiguration = {
    clientId: config.teams.clientId,
    clientSecret: config.teams.clientSecret,
    tenantId: config.teams.tenantId,
    // Reject tokens issued by another tenant; Bot Connector's own issuer stays accepted by the SDK.
    validateIssuer: true,
  };
  return {
    mode: 'authenticated',
    authConfig: {
      ...settings,
      connections: new Map([[SERVICE_CONNECTION, settings]]),
      connectionsMap: [{ serviceUrl: '*', connection: SERVICE_CONNECTION }],
    },
  };
}
