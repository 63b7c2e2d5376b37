import type { AnyMiddlewareArgs } from '@slack/bolt';
import {
  App,
  Assistant,
  type Logger as BoltLogger,
  ExpressReceiver,
  LogLevel,
  type Middleware,
} from '@slack/bolt';
import type { Request, Response } from 'express';
import { ActionId } from '../core/actions.ts';
import { toAppError } from '../core/errors.ts';
import { shortTitle } from '../core/input.ts';
import {
  GREETING,
  STATUS_SEARCHING,
  SUGGESTED_QUESTIONS,
  SUGGESTED_QUESTIONS_TITLE,
} from '../core/messages.ts';
import type { ProcessedEventRepository } from '../core/ports.ts';
import type { IncomingMessage } from '../core/types.ts';
import type { Logger } from '../logger.ts';
import type { MountChannel } from './channel.ts';
import { isFirstDelivery } from './first-delivery.ts';
import { answerClick, answerInThread, type DeliveryDeps, lookupEmail } from './slack-deliver.ts';
import { type SlackSharedFile, slackFiles } from './slack-files.ts';
import {
  type BlockActionBody,
  fromBlockAction,
  fromMessageEvent,
  fromSlashCommand,
  type SlackMessageEvent,
} from './slack-incoming.ts';
import { NOT_SECTION_EDIT, registerSectionModals } from './slack-modal.ts';
import { renderSlackReply } from './slack-render.ts';

/** Bolt's own logs go to pino, at warn and above (its debug logs would carry message bodies). */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' }, { level: 'warn' });
  return {
    debug: (...parts) => child.debug(parts.join(' ')),
    info: (...parts) => child.info(parts.join(' ')),
    warn: (...parts) => child.warn(parts.join(' ')),
    error: (...parts) =>
      child.error(parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
}

/**
 * Claims each event id before any work: a retry (X-Slack-Retry-Num), or the same event delivered to
 * another process, stops here.
 */
function dedupeEvents(events: ProcessedEventRepository, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next, context }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (
      eventId &&
      !(await isFirstDelivery(events, 'slack', eventId, log.child({ retryNum: context.retryNum })))
    ) {
      return;
    }
    await next();
  };
}

/**
 * Bolt answers a signed body it cannot type (an `event_callback` without its `event`) with nothing, so
 * Slack would wait 3 s for a 404 and retry. Such a body is acknowledged at once and logged instead.
 */
class SlackReceiver extends ExpressReceiver {
  constructor(
    options: ConstructorParameters<typeof ExpressReceiver>[0],
    private readonly log: Logger,
  ) {
    super(options);
  }

  override async requestHandler(req: Request, res: Response): Promise<void> {
    const body = req.body as { type?: unknown; event?: unknown } | undefined;
    const event = body?.event;
    if (body?.type === 'event_callback' && (typeof event !== 'object' || event === null)) {
      this.log.warn('slack event without payload ignored');
      res.status(200).end();
      return;
    }
    return super.requestHandler(req, res);
  }
}

/** Slack: events, interactivity and /boussole on /slack/events (or Socket Mode with an app token). */
export const mountSlack: MountChannel = async (
  expressApp,
  { config, core, repositories, logger, documents },
) => {
  const slack = config.slack;
  if (!slack) return {};
  const log = logger.child({ channel: 'slack' });
  const receiver = slack.appToken
    ? undefined
    : new SlackReceiver(
        {
          signingSecret: slack.signingSecret,
          endpoints: '/slack/events',
          // Events are acknowledged on arrival, before the duplicate claim and any other database work:
          // the listeners only start the answer in the background, so waiting for them bought nothing but
          // a slower ack behind the database's queue.
          processBeforeResponse: false,
          app: expressApp,
          logger: boltLogger(log),
          customPropertiesExtractor: (req) => ({ requestId: req.res?.locals.requestId }),
          // Our failures are logged and apologised for in the thread; a 500 would only make Slack retry.
          processEventErrorHandler: async ({ error, response }) => {
            log.error({ code: toAppError(error).code }, 'slack event failed');
            if (!response.headersSent) response.writeHead(200).end();
            return true;
          },
        },
        log,
      );
  const app = new App({
    token: slack.botToken,
    ...(receiver ? { receiver } : { socketMode: true, appToken: slack.appToken }),
    clientOptions: slack.apiUrl ? { slackApiUrl: slack.apiUrl } : undefined,
    logger: boltLogger(log),
  });
  app.error(async (error) => {
    log.error({ code: toAppError(error).code }, 'slack listener failed');
  });

  const deliveries = new Set<Promise<void>>();
  const inBackground = (work: () => Promise<void>) => {
    const task = work().catch((error) =>
      log.error({ code: toAppError(error).code }, 'slack delivery failed'),
    );
    deliveries.add(task);
    void task.finally(() => deliveries.delete(task));
  };
  const deliveryDeps: DeliveryDeps = {
    core,
    client: app.client,
    publicUrl: config.publicUrl,
    log,
    documents,
  };
  const ignoreChannelless = () => log.warn('slack message without channel ignored');

  app.use(dedupeEvents(repositories.processedEvents, log));
  app.assistant(
    new Assistant({
      threadStarted: async ({ say, setSuggestedPrompts }) => {
        await say(GREETING);
        await setSuggestedPrompts({
          title: SUGGESTED_QUESTIONS_TITLE,
          prompts: SUGGESTED_QUESTIONS.map((question) => ({
            title: shortTitle(question),
            message: question,
          })),
        });
      },
      userMessage: async ({ message, body, context, setStatus, setTitle }) => {
        const event = message as unknown as SlackMessageEvent;
        const teamId = context.teamId ?? (body as { team_id: string }).team_id;
        const threadTs = event.thread_ts ?? event.ts;
        const turn = fromMessageEvent(event, teamId, {
          threadTs,
          isDirect: true,
          requestId: context.requestId,
        });
        if (!turn) return ignoreChannelless();
        inBackground(() => answerInThread(deliveryDeps, turn.incoming, turn.target, { setStatus, setTitle }));
      },
    }),
  );

  // Files shared with the message (a Word fiche), read by the core only if it needs them.
  const withFiles = (incoming: IncomingMessage, event: { files?: SlackSharedFile[] }) =>
    event.files?.length ? { ...incoming, attachments: slackFiles(event.files, slack.botToken) } : incoming;

  app.event('app_mention', async ({ event, body, context }) => {
    const teamId = context.teamId ?? body.team_id;
    const threadTs = event.thread_ts ?? event.ts;
    const turn = fromMessageEvent(event as SlackMessageEvent, teamId, {
      threadTs,
      isDirect: false,
      requestId: context.requestId,
    });
    if (!turn) return ignoreChannelless();
    inBackground(() => answerInThread(deliveryDeps, withFiles(turn.incoming, event), turn.target));
  });

  app.message(async ({ message, body, context }) => {
    const event = message as unknown as SlackMessageEvent & {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      files?: SlackSharedFile[];
    };
    const ownMessage = !event.subtype || event.subtype === 'file_share';
    if (event.channel_type !== 'im' || !ownMessage || event.bot_id) return;
    const teamId = context.teamId ?? body.team_id;
    const turn = fromMessageEvent(event, teamId, {
      threadTs: event.thread_ts,
      isDirect: true,
      requestId: context.requestId,
    });
    if (!turn) return ignoreChannelless();
    inBackground(() => answerInThread(deliveryDeps, withFiles(turn.incoming, event), turn.target));
  });

  app.command('/boussole', async ({ command, ack, respond, context }) => {
    await ack({ response_type: 'ephemeral', text: STATUS_SEARCHING });
    const incoming = fromSlashCommand(command, context.requestId);
    inBackground(async () => {
      const reply = await core.handleTurn(incoming, {
        lookupEmail: lookupEmail(app.client, command.user_id),
      });
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...renderSlackReply(reply, config.publicUrl),
      });
    });
  });

  registerSectionModals(app, { core, publicUrl: config.publicUrl, log, inBackground });
  app.action(NOT_SECTION_EDIT, async ({ ack, body, context }) => {
    await ack();
    const turn = fromBlockAction(body as unknown as BlockActionBody, context.requestId);
    if (!turn) {
      log.warn('slack action without channel or team ignored');
      return;
    }
    inBackground(async () => {
      if (turn.incoming.action?.id === ActionId.Ask)
        return answerInThread(deliveryDeps, turn.incoming, turn.target);
      await answerClick(deliveryDeps, turn.incoming, turn.target);
    });
  });

  if (!receiver) await app.start();
  log.info({ mode: receiver ? 'http' : 'socket' }, 'slack channel mounted');
  return {
    async stop() {
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
      if (!receiver) await app.stop();
    },
  };
};
