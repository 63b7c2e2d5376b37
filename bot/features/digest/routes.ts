import { parisDay } from '../../core/calendar.ts';
import type { Feature } from '../../core/feature.ts';
import { formatDate, WEEKDAYS } from '../../core/french/format.ts';
import type { CoreServices } from '../../core/handle-turn.ts';
import { textReply } from '../../core/handlers.ts';
import { type Actor, isDeploymentAdmin } from '../../core/people.ts';
import type { Turn, TurnOutcome } from '../../core/routes.ts';
import type { IncomingMessage } from '../../core/types.ts';
import { type DigestCommand, parseDigestCommand } from './commands.ts';
import { composeWith, nextDigest, previewDigest } from './deliver.ts';
import type { DigestDestination, DigestPlace, DigestSubscription, SubscriptionChanges } from './delivery.ts';
import { digestDeps } from './deps.ts';
import { nextOccurrence } from './schedule.ts';
import { digestText } from './view.ts';

const PLACES: Record<DigestPlace, string> = {
  slack_dm: 'en message privé sur Slack',
  slack_channel: 'dans un canal Slack',
  teams_personal: 'en conversation privée sur Teams',
  teams_channel: 'dans un canal Teams',
};

export const DIGEST_HELP = [
  'Votre digest hebdomadaire (par défaut le lundi à 9 h, en message privé) :',
  '• « digest » : l’aperçu du prochain, tout de suite, en privé',
  '• « digest pause » / « digest reprendre »',
  '• « digest lundi 8h » : choisir le jour et l’heure (heure de Paris)',
  '• « digest ici » : le recevoir dans cette conversation ; « digest en privé » : en message privé',
].join('\n');

const NOT_FOR_YOU =
  'Le digest hebdomadaire est réservé aux coordinateurs et aux référents d’une collectivité. Demandez à un administrateur de Boussole de vous donner un rôle.';
const NOTHING_TO_SHOW = 'Aucune collectivité suivie : pas de digest à montrer.';
const WEB_ONLY =
  'Le digest s’envoie dans Slack ou Teams : dites « digest ici » dans la conversation où vous voulez le recevoir.';

/** « lundi à 9 h », « vendredi à 17 h ». */
const when = (schedule: Pick<DigestSubscription, 'weekday' | 'hour'>) =>
  `le ${WEEKDAYS[schedule.weekday - 1]} à ${schedule.hour} h`;

function describe(subscription: DigestSubscription, now: Date): string {
  const where = subscription.destination ? PLACES[subscription.destination.place] : 'en message privé';
  const rhythm = `chaque semaine ${when(subscription)} (heure de Paris), ${where}`;
  if (subscription.paused) {
    return `Votre digest hebdomadaire (${rhythm}) est en pause. Dites « digest reprendre » pour le relancer.`;
  }
  const next = formatDate(parisDay(nextOccurrence(subscription, now)), { weekday: true });
  return `Votre digest arrivera ${rhythm} ; prochain envoi ${next}.`;
}

/** This conversation as a digest destination; undefined in the web chat. */
function destinationHere(incoming: IncomingMessage): DigestDestination | undefined {
  const { channel, workspaceId, conversationId, isDirect } = incoming;
  if (channel === 'slack') {
    return isDirect
      ? { place: 'slack_dm', workspaceId, conversationId: incoming.userId }
      : { place: 'slack_channel', workspaceId, conversationId };
  }
  if (channel !== 'teams' || typeof incoming.conversationReference !== 'object') return undefined;
  const reference = incoming.conversationReference as { conversation?: Record<string, unknown> };
  // A channel's reference names the reply chain it came from; the digest starts a new post in the channel.
  const conversationReference = {
    ...reference,
    conversation: { ...reference.conversation, id: conversationId },
  };
  return {
    place: isDirect ? 'teams_personal' : 'teams_channel',
    workspaceId,
    conversationId,
    conversationReference,
  };
}

const isCoordinator = (actor: Actor) =>
  isDeploymentAdmin(actor) || actor.memberships.some((membership) => membership.role === 'coordinateur');
const isReferent = (actor: Actor) => actor.memberships.some((membership) => membership.role === 'referent');

/** The weekly digest in conversation: its preview, pause and resume, its day, hour and place. */
export function digestFeature(services: CoreServices): Feature {
  const { clock } = services;
  // Read at the first command, not here: matching a turn never touches the services.
  const ports = () => {
    const { repositories } = services;
    const compose = composeWith(digestDeps(repositories, services.publicUrl, clock));
    return { repositories, subscriptions: repositories.digestSubscriptions, compose };
  };

  async function preview(turn: Turn, actor: Actor): Promise<TurnOutcome> {
    const { incoming } = turn;
    const { repositories, subscriptions, compose } = ports();
    if (incoming.channel === 'web' || !services.digestNotifier) {
      const next = await nextDigest({ repositories, compose, clock }, actor.personId);
      return { reply: textReply(next ? digestText(next.digest) : NOTHING_TO_SHOW) };
    }
    // Privately: in this conversation when it is private, else in the person's private chat on this platform.
    const here = incoming.isDirect ? destinationHere(incoming) : undefined;
    const privately =
      here ??
      (await subscriptions.privateDestinations(actor.personId)).find((destination) =>
        destination.place.startsWith(incoming.channel),
      );
    const sent = await previewDigest(
      { repositories, compose, notifier: services.digestNotifier, clock },
      actor.personId,
      privately,
    );
    if (!sent) {
      return {
        reply: textReply(
          privately
            ? NOTHING_TO_SHOW
            : 'Écrivez-moi d’abord en message privé : c’est là que j’envoie l’aperçu de votre digest.',
        ),
      };
    }
    const moment = formatDate(parisDay(sent.scheduledAt), { weekday: true });
    return {
      reply: textReply(
        incoming.isDirect
          ? `Voici l’aperçu de votre prochain digest, prévu ${moment}.`
          : `Je vous ai envoyé en message privé l’aperçu de votre prochain digest, prévu ${moment}.`,
      ),
    };
  }

  async function change(actor: Actor, changes: SubscriptionChanges, done: string): Promise<TurnOutcome> {
    const saved = await ports().subscriptions.save(actor.personId, changes);
    return { reply: textReply(`${done} ${describe(saved, clock())}`) };
  }

  async function run(turn: Turn, command: DigestCommand): Promise<TurnOutcome> {
    const actor = turn.actor;
    if (!actor || !(isCoordinator(actor) || isReferent(actor))) return { reply: textReply(NOT_FOR_YOU) };
    const current = await ports().subscriptions.get(actor.personId);
    switch (command.kind) {
      case 'preview':
        return preview(turn, actor);
      case 'help':
        return { reply: textReply(DIGEST_HELP) };
      case 'pause':
        if (!current && !isCoordinator(actor)) {
          return {
            reply: textReply('Vous ne recevez pas de digest. Dites « digest reprendre » pour le recevoir.'),
          };
        }
        return change(actor, { paused: true }, 'C’est noté, votre digest est en pause.');
      case 'resume':
        return change(actor, { paused: false }, 'C’est noté, votre digest reprend.');
      case 'private':
        return change(actor, { destination: null }, 'C’est noté.');
      case 'here': {
        const here = destinationHere(turn.incoming);
        if (!here) return { reply: textReply(WEB_ONLY) };
        return change(actor, { destination: here }, 'C’est noté, votre digest arrivera ici.');
      }
      case 'schedule':
        return change(
          actor,
          { weekday: command.weekday ?? current?.weekday, hour: command.hour ?? current?.hour },
          'C’est noté.',
        );
    }
  }

  return {
    name: 'digest',
    forms: {},
    routes: [
      {
        name: 'digest',
        match: (turn) => !turn.incoming.action && parseDigestCommand(turn.text) !== undefined,
        handle: (turn) => run(turn, parseDigestCommand(turn.text)!),
      },
    ],
  };
}
