import { describe, expect, it } from 'vitest';
import { parisDay } from '../../../bot/core/calendar.ts';
import { isLate, type Task, type TaskValues } from '../../../bot/features/dashboard/model.ts';
import { compactView, dueRange, periodOf } from '../../../bot/features/dashboard/view.ts';

/** Lateness and due windows on a fixed clock: month ends, leap years, and the Paris daylight-saving changes. */

const task = (number: number, values: Partial<TaskValues>): Task => ({
  id: `t${number}`,
  collectivite: { id: 'c1', name: 'Démoville' },
  number,
  values: { intitule: `Tâche ${number}`, phase: 'diagnostic', etat: 'en_cours', ...values },
  version: 1,
  createdBy: { name: 'test' },
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

describe('today in Paris', () => {
  it('turns at midnight Paris time, not UTC, on both sides of the daylight-saving changes', () => {
    // Summer time starts on 28 March 2027 at 2:00: 22:30 UTC on the 31st is already 1 April in Paris.
    expect(parisDay(new Date('2027-03-31T21:59:59Z'))).toBe('2027-03-31');
    expect(parisDay(new Date('2027-03-31T22:00:00Z'))).toBe('2027-04-01');
    // In winter (after 31 October 2027), Paris is UTC+1: midnight is 23:00 UTC.
    expect(parisDay(new Date('2027-11-30T22:30:00Z'))).toBe('2027-11-30');
    expect(parisDay(new Date('2027-11-30T23:00:00Z'))).toBe('2027-12-01');
    // The night of the change itself.
    expect(parisDay(new Date('2027-03-28T00:30:00Z'))).toBe('2027-03-28');
    expect(parisDay(new Date('2027-10-30T22:30:00Z'))).toBe('2027-10-31');
  });

  it('makes a task late the day after its end, at Paris midnight', () => {
    const endsMarch31 = { etat: 'en_cours', fin: '2027-03-31' } as const;
    expect(isLate(endsMarch31, parisDay(new Date('2027-03-31T21:59:00Z')))).toBe(false);
    expect(isLate(endsMarch31, parisDay(new Date('2027-03-31T22:01:00Z')))).toBe(true);
    expect(isLate({ ...endsMarch31, etat: 'fait' }, '2027-04-15')).toBe(false);
    expect(isLate({ ...endsMarch31, etat: 'abandonne' }, '2027-04-15')).toBe(false);
    expect(isLate({ etat: 'a_faire' }, '2030-01-01')).toBe(false);
    // 29 February 2028 exists: a task ending then is not late on that day, and is on 1 March.
    expect(isLate({ etat: 'a_faire', fin: '2028-02-29' }, '2028-02-29')).toBe(false);
    expect(isLate({ etat: 'a_faire', fin: '2028-02-29' }, '2028-03-01')).toBe(true);
  });
});

describe('due windows', () => {
  it('« ce mois-ci » ends on the month’s last day, leap years included', () => {
    expect(dueRange({ kind: 'month' }, '2028-02-10')).toEqual({ from: '2028-02-10', to: '2028-02-29' });
    expect(dueRange({ kind: 'month' }, '2027-02-10')).toEqual({ from: '2027-02-10', to: '2027-02-28' });
    expect(dueRange({ kind: 'month' }, '2027-12-31')).toEqual({ from: '2027-12-31', to: '2027-12-31' });
    // 23:30 UTC on 31 March 2027 is 1 April in Paris: « ce mois-ci » is April.
    expect(dueRange({ kind: 'month' }, parisDay(new Date('2027-03-31T23:30:00Z')))).toEqual({
      from: '2027-04-01',
      to: '2027-04-30',
    });
  });

  it('« cette semaine » ends on Sunday; « dans 14 jours » crosses month and year ends', () => {
    expect(dueRange({ kind: 'week' }, '2027-03-24')).toEqual({ from: '2027-03-24', to: '2027-03-28' });
    expect(dueRange({ kind: 'week' }, '2027-03-28')).toEqual({ from: '2027-03-28', to: '2027-03-28' });
    expect(dueRange({ kind: 'days', days: 14 }, '2028-02-20')).toEqual({
      from: '2028-02-20',
      to: '2028-03-05',
    });
    expect(dueRange({ kind: 'days', days: 14 }, '2027-12-25')).toEqual({
      from: '2027-12-25',
      to: '2028-01-08',
    });
    // Across the autumn change (31 October 2027), days stay calendar days.
    expect(dueRange({ kind: 'days', days: 1 }, '2027-10-30')).toEqual({
      from: '2027-10-30',
      to: '2027-10-31',
    });
  });

  it('defaults the suivi to the quarter of today, or the year for the annual bilan', () => {
    expect(periodOf('trimestriel', '2027-09-30')).toBe('2027-T3');
    expect(periodOf('trimestriel', parisDay(new Date('2027-09-30T22:30:00Z')))).toBe('2027-T4');
    expect(periodOf('annuel', '2028-02-29')).toBe('2028-A');
  });
});

describe('the compact view', () => {
  it('counts per phase, lists what is late and what is due in 14 days, with buttons', () => {
    const today = parisDay(new Date('2028-02-27T12:00:00Z'));
    const tasks = [
      task(1, { phase: 'prefiguration', etat: 'fait', fin: '2028-01-15' }),
      task(2, { phase: 'prefiguration', etat: 'en_cours', fin: '2028-02-26', responsable: { nom: 'CCAS' } }),
      task(3, { phase: 'diagnostic', etat: 'a_faire', fin: '2028-03-12' }),
      task(4, { phase: 'diagnostic', etat: 'a_faire', fin: '2028-03-13' }),
    ];
    const view = compactView({ id: 'c1', name: 'Démoville' }, tasks, today, { canEdit: true });
    expect(view.text).toContain('• *Préfiguration du projet* : 2 tâches (1 fait, 1 en cours)');
    expect(view.text).toContain('• *Diagnostic* : 2 tâches (2 à faire)');
    expect(view.text).toContain(
      '*En retard* (1) :\n• n° 2 · Tâche 2 — CCAS · fin le 26 février 2028 · en cours, ⚠️ en retard',
    );
    // 27 February + 14 days is 12 March in a leap year: task 3 is in, task 4 is not.
    expect(view.text).toContain('*À échéance dans les 14 jours* (1) :\n• n° 3 · Tâche 3');
    expect(view.text).not.toContain('n° 4 ·');
    expect(view.choices?.map((choice) => choice.label)).toEqual([
      'Préfiguration du projet',
      'Diagnostic',
      'Tâche n° 2',
      'Tâche n° 3',
      'Ajouter une tâche',
      'Excel',
      'Gantt',
    ]);
  });

  it('offers the guide’s example tasks on an empty dashboard, to référents only', () => {
    const empty = compactView({ id: 'c1', name: 'Démoville' }, [], '2027-05-01', { canEdit: true });
    expect(empty.choices?.[0]?.label).toBe('Partir des tâches d’exemple du guide');
    expect(
      compactView({ id: 'c1', name: 'Démoville' }, [], '2027-05-01', { canEdit: false }).choices,
    ).toEqual([]);
  });
});
