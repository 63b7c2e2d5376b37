import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { KnowledgeBase } from '../knowledge/types.ts';
import type { ChannelDeps, MountChannel, MountedChannel } from './channels/channel.ts';
import { createDigestNotifier } from './channels/digest-notifier.ts';
import { mountSlack } from './channels/slack.ts';
import { mountTeams } from './channels/teams.ts';
import { mountWeb } from './channels/web.ts';
import { mountWebDigest } from './channels/web-digest.ts';
import type { Config } from './config.ts';
import type { Core } from './core/core.ts';
import { toAppError } from './core/errors.ts';
import { createCore } from './core/handle-turn.ts';
import type { Repositories } from './core/ports.ts';
import {
  type DigestScheduler,
  type DigestSchedulerOptions,
  startDigestScheduler,
} from './digest-scheduler.ts';
import { type DocumentsDeps, mountDocuments, readDocumentLink } from './documents/router.ts';
import { renderDashboard } from './features/dashboard/documents.ts';
import { composeWith, createDigestDelivery } from './features/digest/deliver.ts';
import { digestDeps, progressChartDocument } from './features/digest/deps.ts';
import { documentLinkSecret } from './features/fiches/documents.ts';
import { renderDocument } from './features/fiches/exports.ts';
import { FEATURES } from './features/index.ts';
import { createFieldExtractor } from './llm/field-extractor.ts';
import type { Logger } from './logger.ts';
import { mountSourcesViewer } from './sources-viewer.ts';
import type { QueueTarget } from './store/database.ts';

export interface ServerDeps {
  config: Config;
  knowledge: KnowledgeBase;
  repositories: Repositories;
  logger: Logger;
  /** The database of the job queue that sends the weekly digests; without it (or with DIGEST_SCHEDULER=off), none is sent on schedule. */
  queueTarget?: QueueTarget;
  /** Faster polling and retries, for tests. */
  digestOptions?: Pick<DigestSchedulerOptions, 'pollingIntervalSeconds' | 'retryDelaySeconds'>;
  clock?: () => Date;
}

export interface BoussoleServer {
  app: Express;
  /** The weekly digest's scheduler, when it runs. */
  digest?: DigestScheduler;
  /**
   * Listens on `port` (config.port by default; 0 for a random one) and `host` (config.listen.host by
   * default; undefined is every interface). Throws ListenError when the address cannot be used.
   */
  listen(port?: number, host?: string): Promise<{ port: number; host?: string }>;
  /** Stops accepting, waits for in-flight replies, stops the channels, then resolves. */
  close(): Promise<void>;
}

/** The server cannot listen where the configuration says. The message is French and names the variable. */
export class ListenError extends Error {
  override name = 'ListenError';
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string | undefined): Error {
  const reasons: Record<string, string> = {
    EADDRINUSE: `le port ${port} est déjà utilisé par un autre programme : arrêtez-le, ou choisissez un autre port avec PORT.`,
    EACCES: `le port ${port} est réservé à l’administrateur : choisissez un port à partir de 1024 avec PORT.`,
    EADDRNOTAVAIL: `l’adresse ${host} n’appartient pas à cette machine : corrigez HOST.`,
    ENOTFOUND: `le nom d’hôte ${host} est inconnu : corrigez HOST.`,
    EAI_AGAIN: `le nom d’hôte ${host} est introuvable : corrigez HOST.`,
  };
  const reason = error.code ? reasons[error.code] : undefined;
  return reason ? new ListenError(`Démarrage impossible : ${reason}`, { cause: error }) : error;
}

const REQUEST_ID = /^[\w.-]{1,100}$/;

/** One request id per request, in a child logger, and one access log line with no body or query. */
function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const header = req.get('x-request-id');
    const requestId = header && REQUEST_ID.test(header) ? header : randomUUID();
    const started = performance.now();
    res.locals.requestId = requestId;
    res.locals.log = logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      const durationMs = Math.round(performance.now() - started);
      res.locals.log.info(
        { method: req.method, path: req.path, status: res.statusCode, durationMs },
        'request',
      );
    });
    next();
  };
}

/** French messages for the client errors Express and its body parser raise, by their `type`. */
const CLIENT_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'Requête invalide : le corps n’est pas du JSON valide.',
  'entity.too.large': 'Requête trop volumineuse.',
  'encoding.unsupported': 'Requête invalide : encodage du corps non pris en charge.',
  'charset.unsupported': 'Requête invalide : jeu de caractères non pris en charge (utilisez UTF-8).',
};
const BAD_PERCENT_ENCODING = 'Requête invalide : l’adresse contient un encodage « % » incorrect.';

/** Client errors keep their 4xx status with a French message; anything else is a logged 500. */
const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  const { type, status } = error as { type?: string; status?: number };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Express's router marks a route parameter it cannot percent-decode as a URIError with status 400.
    const message =
      (type && CLIENT_ERRORS[type]) ??
      (error instanceof URIError ? BAD_PERCENT_ENCODING : 'Requête invalide.');
    res.status(status).json({ error: message });
    return;
  }
  res.locals.log?.error({ code: toAppError(error).code }, 'request failed');
  res.status(500).json({ error: 'Erreur interne. Réessayez dans quelques instants.' });
};

/** Wraps the core so close() can wait for every reply being prepared. */
function trackTurns(core: Core): { core: Core; settled: () => Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    work.finally(() => pending.delete(work)).catch(() => {});
    return work;
  };
  return {
    core: {
      handleTurn: (incoming, io) => track(core.handleTurn(incoming, io)),
      openForm: (sender, ref, io) => track(core.openForm(sender, ref, io)),
      submitForm: (sender, ref, values, io) => track(core.submitForm(sender, ref, values, io)),
    },
    settled: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/** The composition root of the HTTP side: one express app for every channel and page. */
export async function createServer(deps: ServerDeps): Promise<BoussoleServer> {
  const { config, knowledge, repositories, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const digestNotifier = createDigestNotifier(config);
  const app = express();
  app.disable('x-powered-by');
  let ready = false;
  app.use(requestLogging(logger));
  app.get('/healthz', (_req, res) => {
    // Skipped sources do not make the service unhealthy: the rest is served, and this says what is missing.
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ok' : 'starting', sources: knowledge.sourceReport() });
  });

  const turns = trackTurns(
    createCore({
      knowledge,
      repositories,
      publicUrl: config.publicUrl,
      logger,
      features: FEATURES,
      extractor: config.llm ? createFieldExtractor(config.llm) : undefined,
      digestNotifier,
      clock,
    }),
  );
  const documents: DocumentsDeps = {
    secret: () => documentLinkSecret({ repositories }),
    render: (ref) =>
      ref.kind === 'dashboard'
        ? renderDashboard(ref, repositories, new Date())
        : renderDocument(ref, repositories.fiches),
    chart: (ref) => progressChartDocument(ref, repositories),
  };
  const channelDeps: ChannelDeps = {
    config,
    core: turns.core,
    repositories,
    logger,
    documents: (url) => readDocumentLink(documents, url),
  };
  mountSourcesViewer(app, knowledge);
  mountDocuments(app, documents);
  const channels: MountChannel[] = [
    mountWeb,
    mountWebDigest,
    mountTeams,
    ...(config.slack ? [mountSlack] : []),
  ];
  const mounted: MountedChannel[] = [];
  for (const mount of channels) mounted.push(await mount(app, channelDeps));
  app.use((_req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send('Page introuvable.');
  });
  app.use(errorHandler);
  const digest =
    config.digest.scheduler && deps.queueTarget
      ? await startDigestScheduler({
          target: deps.queueTarget,
          delivery: createDigestDelivery({
            repositories,
            compose: composeWith(digestDeps(repositories, config.publicUrl, clock)),
            notifier: digestNotifier,
            clock,
            logger,
          }),
          clock,
          logger,
          ...deps.digestOptions,
        })
      : undefined;
  ready = true;

  let server: Server | undefined;
  return {
    app,
    digest,
    listen(port = config.port, host = config.listen.host) {
      const httpServer = createHttpServer(app);
      server = httpServer;
      return new Promise((resolve, reject) => {
        httpServer.once('error', (error) => reject(listenError(error, port, host)));
        httpServer.listen({ port, host }, () =>
          resolve({ port: (httpServer.address() as AddressInfo).port, host }),
        );
      });
    },
    async close() {
      ready = false;
      const closed = server
        ? new Promise<void>((resolve) => server!.close(() => resolve()))
        : Promise.resolve();
      server?.closeIdleConnections();
      await turns.settled();
      await digest?.stop();
      await Promise.allSettled(mounted.map((channel) => channel.stop?.()));
      // Replies are sent by now: close keep-alive connections as they fall idle; after a grace period,
      // whatever is still open is only a slow client.
      const sweep = setInterval(() => server?.closeIdleConnections(), 50);
      const grace = setTimeout(() => server?.closeAllConnections(), 5_000);
      await closed;
      clearInterval(sweep);
      clearTimeout(grace);
      logger.info('server closed');
    },
  };
}
