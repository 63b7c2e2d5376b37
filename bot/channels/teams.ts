import { randomUUID } from 'node:crypto';
import { CloudAdapter } from '@microsoft/agents-hosting';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ChannelDeps, MountChannel } from './channel.ts';
import { resolveTeamsAuth } from './teams-auth.ts';
import { invalidActivityReason, isLoopbackUrl } from './teams-incoming.ts';
import { createTeamsTurnHandler, frenchTurnError } from './teams-turn.ts';

export const TEAMS_PATH = '/api/messages';
/** Bot Framework activities stay far below this; Adaptive Card payloads included. */
const BODY_LIMIT = '1mb';

const rejectInvalidActivity: RequestHandler = (req, res, next) => {
  const reason = invalidActivityReason(req.body);
  if (reason) res.status(400).json({ error: reason });
  else next();
};

export const FOREIGN_SERVICE_URL =
  'Activité refusée : sans identifiants Teams, seul un « serviceUrl » de boucle locale (127.0.0.1, ::1, localhost) est accepté.';

/**
 * Without credentials nothing proves an activity comes from Bot Connector: replying to any `serviceUrl`
 * would let anyone make this server POST wherever they like. Only this machine is answered.
 */
const onlyLoopbackServiceUrl: RequestHandler = (req, res, next) => {
  if (isLoopbackUrl(String(req.body.serviceUrl))) next();
  else res.status(403).json({ error: FOREIGN_SERVICE_URL });
};

function rejectUnreadableBody(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const tooLarge = (error as { type?: string }).type === 'entity.too.large';
  res.status(tooLarge ? 413 : 400).json({
    error: tooLarge
      ? 'Activité trop volumineuse.'
      : 'Activité invalide : le corps n’est pas du JSON lisible.',
  });
}

function processWith(adapter: CloudAdapter, deps: ChannelDeps): RequestHandler {
  const handleTurn = createTeamsTurnHandler(deps);
  return async (req, res) => {
    // The server's request logging sets one id per request; mounted alone (tests), make one.
    const requestId: string = res.locals.requestId ?? randomUUID();
    try {
      await adapter.process(req, res, (context) => handleTurn(context, requestId));
    } catch (error) {
      deps.logger.error({ err: error, requestId }, 'Teams : activité non traitée');
      if (!res.headersSent) res.status(500).json({ error: 'Erreur interne : activité non traitée.' });
    }
  };
}

/**
 * Microsoft Teams on POST /api/messages (Microsoft 365 Agents SDK). With credentials, the SDK's JWT check runs
 * before anything else reads the activity; without them, the endpoint is open outside production only.
 */
export const mountTeams: MountChannel = async (app, deps) => {
  const auth = resolveTeamsAuth(deps.config);
  if (auth.mode === 'disabled') {
    deps.logger.error({ channel: 'teams' }, auth.reason);
    app.post(TEAMS_PATH, (_req, res) => {
      res.status(503).json({ error: auth.reason });
    });
    return {};
  }
  if (auth.mode === 'anonymous') {
    deps.logger.warn(
      { channel: 'teams', path: TEAMS_PATH },
      'Teams : aucun identifiant (clientId ou MicrosoftAppId) configuré, /api/messages est ouvert sans authentification, pour les essais locaux uniquement : seules les activités dont le serviceUrl est sur cette machine sont acceptées',
    );
  }
  // With a verified token, replies may only go to the host its `serviceurl` claim names.
  const adapter = new CloudAdapter(auth.authConfig, undefined, undefined, {
    validateServiceUrl: auth.mode === 'authenticated',
  });
  adapter.onTurnError = frenchTurnError(deps);
  const authorize: RequestHandler[] =
    auth.mode === 'authenticated' ? [(req, res, next) => adapter.authorizeRequest(req, res, next)] : [];
  const checkServiceUrl = auth.mode === 'anonymous' ? [onlyLoopbackServiceUrl] : [];
  app.post(
    TEAMS_PATH,
    express.json({ limit: BODY_LIMIT }),
    ...authorize,
    rejectInvalidActivity,
    ...checkServiceUrl,
    processWith(adapter, deps),
    rejectUnreadableBody,
  );
  return {};
};
