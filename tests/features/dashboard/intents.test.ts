import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../bot/core/input.ts';
import { createRoutes, type RouteHandlers, selectRoute, type Turn } from '../../../bot/core/routes.ts';
import type { IncomingAction } from '../../../bot/core/types.ts';
import {
  buttonValue,
  type DashboardButton,
  looksLikeTask,
  parseButton,
  parseDashboardIntent,
} from '../../../bot/features/dashboard/intents.ts';
import { FEATURES } from '../../../bot/features/index.ts';
import { makeIncoming } from '../../fixtures/incoming.ts';

describe('dashboard phrasings', () => {
  it.each([
    ['ajoute une tâche : diagnostic quantitatif', { kind: 'new_task', title: 'Diagnostic quantitatif' }],
    ['Ajoute une tâche diagnostic quantitatif', { kind: 'new_task', title: 'Diagnostic quantitatif' }],
    ['nouvelle tâche', { kind: 'new_task' }],
    [
      'peux-tu créer une tâche pour la réunion du COPIL ?',
      { kind: 'new_task', title: 'La réunion du COPIL' },
    ],
  ])('« %s » starts a task', (text, expected) => {
    expect(parseDashboardIntent(text)).toEqual(expected);
  });

  it.each([
    ['la tâche diagnostic quantitatif est terminée', 'diagnostic quantitatif', 'fait'],
    ['La tâche Diagnostic quantitatif est terminée !', 'Diagnostic quantitatif', 'fait'],
    ['la tâche rencontres avec les acteurs est en cours', 'rencontres avec les acteurs', 'en_cours'],
    ['marque la tâche 3 comme faite', '3', 'fait'],
    ['supprime la tâche Validation des orientations', 'Validation des orientations', 'delete'],
    ['peux-tu retirer la tâche 4 ?', '4', 'delete'],
    ['tâche charte de gouvernance abandonnée', undefined, undefined],
  ])('« %s » changes a state', (text, query, state) => {
    const intent = parseDashboardIntent(text);
    if (!query) expect(intent?.kind).not.toBe('set_state');
    else expect(intent).toEqual({ kind: 'set_state', query, state });
  });

  it.each([
    ['qu’est-ce qui arrive à échéance ce mois-ci ?', { kind: 'month' }],
    ['Qu’est-ce qui arrive à échéance cette semaine ?', { kind: 'week' }],
    ['quelles tâches arrivent à échéance dans 14 jours ?', { kind: 'days', days: 14 }],
    ['échéances de la semaine', { kind: 'week' }],
    ['qu’est-ce qu’il y a à rendre d’ici 10 jours', { kind: 'days', days: 10 }],
  ])('« %s » asks what is due', (text, window) => {
    expect(parseDashboardIntent(text)).toEqual({ kind: 'due', window });
  });

  it('reads the other requests', () => {
    expect(parseDashboardIntent('où en est Torcy ?')).toEqual({ kind: 'status', collectivite: 'Torcy' });
    expect(parseDashboardIntent('Où en est-on ?')).toEqual({ kind: 'status', collectivite: undefined });
    expect(parseDashboardIntent('où en sont les tâches ?')).toEqual({
      kind: 'status',
      collectivite: undefined,
    });
    expect(parseDashboardIntent('mes tâches')).toEqual({ kind: 'mine' });
    expect(parseDashboardIntent('quels suivis manquent ?')).toEqual({ kind: 'missing_suivis' });
    expect(parseDashboardIntent('suivis manquants du trimestre')).toEqual({ kind: 'missing_suivis' });
    expect(parseDashboardIntent('tableau de bord')).toEqual({ kind: 'dashboard', collectivite: undefined });
    expect(parseDashboardIntent('le tableau de bord de Démoville')).toEqual({
      kind: 'dashboard',
      collectivite: 'Démoville',
    });
    expect(parseDashboardIntent('quelles tâches sont en retard ?')).toEqual({ kind: 'late' });
    expect(parseDashboardIntent('exporte le tableau de bord')).toEqual({ kind: 'export', format: 'xlsx' });
    expect(parseDashboardIntent('tableau de bord en Excel')).toEqual({ kind: 'export', format: 'xlsx' });
    expect(parseDashboardIntent('gantt')).toEqual({ kind: 'export', format: 'png' });
    expect(parseDashboardIntent('montre-moi le diagramme de Gantt')).toEqual({
      kind: 'export',
      format: 'png',
    });
    expect(parseDashboardIntent('suivi trimestriel de la fiche 2 T3 2027')).toEqual({
      kind: 'suivi',
      ficheNumber: 2,
      periodText: 't3 2027',
      annual: false,
    });
    expect(parseDashboardIntent('bilan annuel de l’action 4')).toEqual({
      kind: 'suivi',
      ficheNumber: 4,
      periodText: undefined,
      annual: true,
    });
    expect(parseDashboardIntent('suivi T3 2027 de l’action 2')).toMatchObject({
      kind: 'suivi',
      ficheNumber: 2,
      periodText: 't3 2027',
    });
    expect(parseDashboardIntent('suivi de l’action 2 pour le troisième trimestre 2027')).toMatchObject({
      kind: 'suivi',
      ficheNumber: 2,
      periodText: 'troisieme trimestre 2027',
    });
  });

  it.each([
    'c’est quoi une tâche de suivi ?',
    'comment tenir un tableau de bord ?',
    'qu’est-ce qu’un tableau de bord ?',
    'comment fixer les échéances ce mois-ci ?',
    'à quoi sert le suivi trimestriel ?',
    'quelles tâches prévoir pour le diagnostic ?',
    'comment remplir le bilan annuel ?',
    'c’est quoi un diagramme de Gantt ?',
    'où en est la recherche sur les inégalités sociales de santé en France ?',
    'pourquoi la tâche de diagnostic est importante ?',
  ])('leaves the methodology question « %s » alone', (text) => {
    expect(parseDashboardIntent(text)).toBeUndefined();
  });

  it('reads none of the knowledge base’s evaluation questions as a dashboard request', () => {
    const questions = ['fresh', 'holdout', 'tuning'].flatMap((set) =>
      readFileSync(`tests/fixtures/${set}-questions.jsonl`, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line).question as string),
    );
    expect(questions.length).toBeGreaterThan(300);
    expect(questions.filter((question) => parseDashboardIntent(question) || looksLikeTask(question))).toEqual(
      [],
    );
  });

  it('carries every button through its value', () => {
    const buttons: DashboardButton[] = [
      { kind: 'new_task', collectiviteId: 'c1' },
      { kind: 'open_task', taskId: 't1' },
      { kind: 'confirm_state', taskId: 't1', state: 'fait' },
      { kind: 'phase', collectiviteId: 'c1', phase: 'diagnostic' },
      { kind: 'export', collectiviteId: 'c1', format: 'png' },
      { kind: 'suivi', ficheId: 'f1', period: '2027-T3' },
      { kind: 'submit_suivi', suiviId: 's1' },
    ];
    for (const button of buttons) expect(parseButton(buttonValue(button))).toEqual(button);
    expect(parseButton('export:c1:pdf')).toBeUndefined();
  });
});

describe('route order', () => {
  const names: (keyof RouteHandlers)[] = [
    'feedback',
    'showPassages',
    'askSuggested',
    'unknownAction',
    'emptyText',
    'wordless',
    'help',
    'question',
  ];
  const handlers = Object.fromEntries(
    names.map((name) => [
      name,
      async () => ({ reply: { text: name, citations: [], aiGenerated: false, feedback: false } }),
    ]),
  ) as unknown as RouteHandlers;
  // The features are built on nothing: matching never touches their services.
  const routes = createRoutes(
    handlers,
    FEATURES.map((feature) => feature({} as never)),
  );
  const routeFor = (text: string, action?: IncomingAction) => {
    const turn: Turn = { incoming: makeIncoming({ text, action }), ...cleanText(text), io: {} };
    return selectRoute(routes, turn).name;
  };

  it('sends methodology questions to the knowledge base, and dashboard requests to the dashboard', () => {
    expect(routeFor('c’est quoi une tâche de suivi ?')).toBe('question');
    expect(routeFor('comment tenir un tableau de bord ?')).toBe('question');
    expect(routeFor('qu’est-ce qu’un indicateur d’activité ?')).toBe('question');
    expect(routeFor('la tâche diagnostic quantitatif est terminée')).toBe('dashboard');
    expect(routeFor('qu’est-ce qui arrive à échéance ce mois-ci ?')).toBe('dashboard');
    expect(routeFor('tableau de bord')).toBe('dashboard');
    expect(routeFor('', { id: 'dashboard', value: 'open_task:t1' })).toBe('dashboard');
    // The fiches keep theirs.
    expect(routeFor('nouvelle fiche-action')).toBe('fiches');
    expect(routeFor('exporter la fiche 7 en Word')).toBe('fiches');
  });
});
