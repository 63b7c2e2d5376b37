import { describe, expect, it } from 'vitest';
import { ActionId } from '../../bot/core/actions.ts';
import { cleanText, isGreetingOrHelp, isWordless, shortTitle } from '../../bot/core/input.ts';
import { MAX_QUESTION_LENGTH } from '../../bot/core/messages.ts';
import {
  createRoutes,
  hasNoText,
  hasOnlySymbols,
  isAction,
  isGreeting,
  type RouteHandlers,
  selectRoute,
  type Turn,
} from '../../bot/core/routes.ts';
import type { IncomingAction } from '../../bot/core/types.ts';
import { makeIncoming } from '../fixtures/incoming.ts';

function turn(text: string, action?: IncomingAction): Turn {
  return { incoming: makeIncoming({ text, action }), ...cleanText(text), io: {} };
}

const handlerNames: (keyof RouteHandlers)[] = [
  'feedback',
  'showPassages',
  'askSuggested',
  'unknownAction',
  'emptyText',
  'wordless',
  'help',
  'question',
];
const unusedHandlers = Object.fromEntries(
  handlerNames.map((name) => [
    name,
    async () => ({ reply: { text: name, citations: [], aiGenerated: false, feedback: false } }),
  ]),
) as unknown as RouteHandlers;
const routes = createRoutes(unusedHandlers);
const routeFor = (t: Turn) => selectRoute(routes, t).name;

describe('matchers', () => {
  it('isAction matches only its own action id', () => {
    expect(isAction('feedback')(turn('', { id: 'feedback' }))).toBe(true);
    expect(isAction('feedback')(turn('', { id: 'show_passages' }))).toBe(false);
    expect(isAction('feedback')(turn('feedback'))).toBe(false);
  });

  it('hasNoText is true for empty or blank text once cleaned', () => {
    expect(hasNoText(turn('   \n\t '))).toBe(true);
    expect(hasNoText(turn('\u0000\u0007'))).toBe(true);
    expect(hasNoText(turn('bonjour'))).toBe(false);
  });

  it('hasOnlySymbols is true for emoji and punctuation only', () => {
    expect(hasOnlySymbols(turn('👍🎉 🙂'))).toBe(true);
    expect(hasOnlySymbols(turn('???'))).toBe(true);
    expect(hasOnlySymbols(turn('ok 👍'))).toBe(false);
    expect(hasOnlySymbols(turn('2024'))).toBe(false);
  });

  it('isGreeting accepts greetings and help words, not questions that start with a greeting', () => {
    for (const text of ['aide', 'Bonjour !', 'salut Boussole', 'AIDE svp'])
      expect(isGreeting(turn(text))).toBe(true);
    expect(isGreeting(turn('Bonjour, comment rédiger une convention ?'))).toBe(false);
    expect(isGreeting(turn('aide au diagnostic local'))).toBe(false);
  });
});

describe('route order', () => {
  it('sends actions to their route before looking at the text', () => {
    expect(routeFor(turn('bonjour', { id: ActionId.Feedback, value: 'x', rating: 'up' }))).toBe('feedback');
    expect(routeFor(turn('', { id: ActionId.ShowPassages, value: 'a:1' }))).toBe('show_passages');
    expect(routeFor(turn('', { id: ActionId.Ask, value: 'Comment ?' }))).toBe('ask_suggested');
    expect(routeFor(turn('', { id: 'something_else' }))).toBe('unknown_action');
  });

  it('routes text by content, questions last', () => {
    expect(routeFor(turn(''))).toBe('empty_text');
    expect(routeFor(turn('🙂'))).toBe('wordless');
    expect(routeFor(turn('bonjour'))).toBe('help');
    expect(routeFor(turn('Qu’est-ce qu’un diagnostic local de santé ?'))).toBe('question');
  });
});

describe('input cleaning', () => {
  it('cuts text over the maximum at a word boundary and says so', () => {
    const long = 'mot '.repeat(5_000);
    const cleaned = cleanText(long);
    expect(cleaned.truncated).toBe(true);
    expect(cleaned.text.length).toBeLessThanOrEqual(MAX_QUESTION_LENGTH);
    expect(cleaned.text.endsWith('mot')).toBe(true);
    expect(cleanText('court').truncated).toBe(false);
  });

  it('strips control characters but keeps accents and newlines', () => {
    expect(cleanText('\u0007Évaluation\u0000 du\nprojet\u200B').text).toBe('Évaluation du\nprojet');
  });

  it('isWordless and isGreetingOrHelp are false for empty text', () => {
    expect(isWordless('')).toBe(false);
    expect(isGreetingOrHelp('')).toBe(false);
  });

  it('shortTitle keeps short questions and cuts long ones on a word', () => {
    expect(shortTitle('Comment rédiger une convention ?')).toBe('Comment rédiger une convention ?');
    const title = shortTitle(
      'Quelles sont les étapes à suivre pour organiser un diagnostic local de santé partagé avec les habitants ?',
    );
    expect(title.length).toBeLessThanOrEqual(61);
    expect(title.endsWith('…')).toBe(true);
  });
});
