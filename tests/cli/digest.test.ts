import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../bot/cli/command.ts';
import { runCommand } from '../../bot/cli/command.ts';
import { findCommand } from '../../bot/cli/commands.ts';
import { digestCommand } from '../../bot/cli/digest.ts';
import { loadConfig } from '../../bot/config.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { NOW, type SeededWeek, seedWeek } from '../features/digest/seed.ts';

describe('npm run digest -- --dry-run', () => {
  let database: Database;
  let seeded: SeededWeek;
  let context: CommandContext;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: inMemoryDataDir });
    seeded = await seedWeek(database);
    context = {
      config: loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://boussole.test' }),
      caller: { cwd: '/', timeZone: 'Europe/Paris', user: 'test' },
      repositories: async () => database.repositories,
      knowledge: () => Promise.reject(new Error('inutile ici')),
      reindex: () => Promise.reject(new Error('inutile ici')),
    };
  });
  afterAll(() => database?.close());

  /** The command on the generic runner, its clock on Monday 30 November 2026 at 09:00 in Paris. */
  async function digest(...args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCommand(
      digestCommand(() => NOW),
      args,
      context,
      {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
      },
    );
    return { code, stdout, stderr };
  }

  it('is registered as « digest »', () => {
    expect(findCommand('digest')?.name).toBe('digest');
  });

  it('prints, as JSON, the digest of the last whole week for every coordinator', async () => {
    const { code, stdout } = await digest('--dry-run', '--json');
    expect(code).toBe(0);
    const digests = JSON.parse(stdout);
    expect(digests.map((d: { person: { name: string }; week: string }) => [d.person.name, d.week])).toEqual([
      ['Claire Coordination', '2026-W48'],
      ['Dora Coordination', '2026-W48'],
    ]);
    expect(digests[0].collectivites[0].fiches.validated).toEqual([
      {
        text: 'Fiche n° 1 « Ateliers cuisine », validée par Claire Coordination',
        url: `https://boussole.test/fiches/${seeded.fiches.avon1.id}`,
      },
    ]);
    expect(digests[0].generatedAt).toBe(NOW.toISOString());
  });

  it('prints one person’s digest as French text, référent included', async () => {
    const { code, stdout } = await digest('--dry-run', '--week', '2026-W48', '--person', seeded.people.remi);
    expect(code).toBe(0);
    expect(stdout).toContain('Digest hebdomadaire – semaine 48 (du 23 au 29 novembre 2026)');
    expect(stdout).toContain('Bonjour Rémi Référent, voici ce qui vous concerne.');
    expect(stdout).toContain('## Avon');
    expect(stdout).toContain(
      `  • Tâche n° 2 « Réunir le COPIL » : Rémi Référent, prévue pour le 20 novembre 2026 <https://boussole.test/taches/${seeded.tasks.copil.id}>`,
    );
    expect(stdout).not.toContain('Base documentaire');
  });

  it('says what is wrong with its options, with the usage', async () => {
    expect(await digest('--dry-run', '--week', '2026-48')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Semaine invalide : « 2026-48 »'),
    });
    expect(await digest('--dry-run', '--person', 'personne@nulle.part')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Personne inconnue'),
    });
    expect(await digest()).toMatchObject({ code: 2, stderr: expect.stringContaining('--dry-run') });
    expect(await digest('--dry-run', '--bavard')).toMatchObject({ code: 2 });
    expect(await digest('envoyer')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Action inconnue'),
    });
  });
});
