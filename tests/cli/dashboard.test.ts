import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import type { CommandContext } from '../../bot/cli/command.ts';
import { runNamedCommand } from '../../bot/cli/commands.ts';
import { loadConfig } from '../../bot/config.ts';
import { parisDay } from '../../bot/core/calendar.ts';
import { addDays } from '../../bot/core/french/calendar.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';

/** `npm run dashboard -- show … --json` and `export … --format xlsx|png`, on a real (in-memory PGlite) database. */

let database: Database;
let folder: string;
const today = parisDay(new Date());

beforeAll(async () => {
  database = await openDatabase({ dataDir: inMemoryDataDir });
  folder = await mkdtemp(path.join(tmpdir(), 'boussole-dashboard-'));
  await seedDemo(database.repositories.directory, { name: 'test' });
  const demoville = (await database.repositories.directory.findCollectivite('Commune de Démoville (démo)'))!;
  const author = { name: 'test' };
  for (const values of [
    {
      intitule: 'Rencontres avec les acteurs concernés',
      phase: 'prefiguration',
      etat: 'fait',
      fin: addDays(today, -20),
    },
    {
      intitule: 'Mise en place des instances de gouvernance',
      phase: 'prefiguration',
      etat: 'en_cours',
      fin: addDays(today, -1),
    },
    {
      intitule: 'Diagnostic quantitatif',
      phase: 'diagnostic',
      etat: 'a_faire',
      debut: today,
      fin: addDays(today, 7),
    },
  ] as const) {
    await database.repositories.tasks.create({ collectiviteId: demoville.id, values, author });
  }
}, 60_000);

afterAll(async () => {
  await database?.close();
  await rm(folder, { recursive: true, force: true });
});

async function dashboard(...argv: string[]) {
  const context: CommandContext = {
    config: loadConfig({}),
    caller: { cwd: folder, timeZone: 'Europe/Paris', user: 'test' },
    repositories: async () => database.repositories,
    knowledge: () => Promise.reject(new Error('inutile ici')),
    reindex: () => Promise.reject(new Error('inutile ici')),
  };
  let stdout = '';
  let stderr = '';
  const code = await runNamedCommand('dashboard', argv, context, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe('npm run dashboard', () => {
  it('shows a collectivité’s dashboard as JSON: counts per phase, late and due tasks', async () => {
    const { code, stdout } = await dashboard('show', 'Commune de Démoville (démo)', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.today).toBe(today);
    expect(json.phases[0]).toEqual({
      id: 'prefiguration',
      label: 'Préfiguration du projet',
      tasks: 2,
      byState: { a_faire: 0, en_cours: 1, fait: 1, abandonne: 0 },
    });
    expect(json.late).toEqual([2]);
    expect(json.dueWithin14Days).toEqual([3]);
    expect(json.tasks.map((task: { number: number; late: boolean }) => [task.number, task.late])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it('shows it as text, and says when the collectivité is unknown', async () => {
    const text = await dashboard('show', 'Commune de Démoville (démo)');
    expect(text.stdout).toContain('*En retard* (1) :');
    const unknown = await dashboard('show', 'Torcy');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Collectivité inconnue : « Torcy »');
    expect((await dashboard('export', 'Commune de Démoville (démo)', '--format', 'pdf')).code).toBe(2);
  });

  it('exports the Excel file and the Gantt picture', async () => {
    const xlsx = await dashboard(
      'export',
      'Commune de Démoville (démo)',
      '--format',
      'xlsx',
      '--out',
      'tdb.xlsx',
    );
    expect(xlsx.stdout.trim()).toBe(path.join(folder, 'tdb.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(path.join(folder, 'tdb.xlsx'))) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.name).toBe('Tableau de bord');
    const png = await dashboard('export', 'Commune de Démoville (démo)', '--format', 'png');
    const bytes = await readFile(png.stdout.trim());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(path.basename(png.stdout.trim())).toMatch(
      /^gantt-commune-de-démoville-démo-\d{4}-\d{2}-\d{2}\.png$/,
    );
  });
});
