import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandContext, runCommand } from '../../bot/cli/command.ts';
import { digestCommand } from '../../bot/cli/digest.ts';
import { loadConfig } from '../../bot/config.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { NOW, type SeededWeek, seedWeek } from '../features/digest/seed.ts';
import { FAKE_TEAM_ID, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';

const admin = { name: 'admin (ligne de commande) — test' };

describe('npm run digest -- --send and history', () => {
  let database: Database;
  let seeded: SeededWeek;
  let slack: FakeSlackApi;
  let context: CommandContext;
  beforeAll(async () => {
    [database, slack] = await Promise.all([openDatabase({ dataDir: inMemoryDataDir }), startFakeSlackApi()]);
    seeded = await seedWeek(database);
    const identity = { channel: 'slack' as const, workspaceId: FAKE_TEAM_ID, externalUserId: 'U0CLAIRE' };
    await database.repositories.identities.upsert(identity);
    await database.repositories.directory.linkIdentity(identity, seeded.people.claire, admin);
    context = {
      config: loadConfig({
        NODE_ENV: 'test',
        PUBLIC_URL: 'https://boussole.test',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: `${slack.url}/api/`,
      }),
      caller: { cwd: '/', timeZone: 'Europe/Paris', user: 'test' },
      repositories: async () => database.repositories,
      knowledge: () => Promise.reject(new Error('inutile ici')),
      reindex: () => Promise.reject(new Error('inutile ici')),
    };
  });
  afterAll(async () => {
    await Promise.all([database?.close(), slack?.close()]);
  });

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
  const posts = () => slack.callsTo('chat.postMessage').filter((call) => call.body.channel === 'D0CLAIRE');

  it('sends now, once per person and week; --force sends a new copy, logged', async () => {
    const first = await digest('--send', '--person', seeded.people.claire);
    expect(first).toMatchObject({
      code: 0,
      stdout: '✓ Claire Coordination : digest 2026-W48 envoyé (slack_dm)\n',
    });
    const count = posts().length;
    expect(count).toBeGreaterThan(0);
    const again = await digest('--send', '--person', seeded.people.claire);
    expect(again.stdout).toMatch(
      /= Claire Coordination : digest 2026-W48 déjà envoyé ou en cours, rien renvoyé/,
    );
    expect(posts()).toHaveLength(count);
    const forced = await digest('--send', '--force', '--person', seeded.people.claire, '--json');
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject([
      { name: 'Claire Coordination', week: '2026-W48', status: 'sent', record: { copy: 1, forced: true } },
    ]);
    expect(JSON.parse(forced.stderr.trim())).toMatchObject({ level: 40, msg: 'digest renvoyé (--force)' });
    expect(posts()).toHaveLength(2 * count);
  });

  it('records a digest that cannot be sent, and the history shows every delivery and failure', async () => {
    const failed = await digest('--send', '--person', seeded.people.dora);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      /✗ Dora Coordination : digest 2026-W48 non envoyé — aucune conversation connue/,
    );
    // A process claimed Rémi's digest an hour ago and died before recording how the send went.
    const claim = await database.repositories.digestLedger.claim({
      personId: seeded.people.remi,
      personName: 'Rémi Référent',
      week: '2026-W47',
    });
    await database.prisma.digestDelivery.update({
      where: { id: claim!.id },
      data: { claimedAt: new Date(NOW.getTime() - 3_600_000) },
    });
    const history = await digest('history');
    expect(history.code).toBe(0);
    const lines = history.stdout.split('\n').filter(Boolean);
    // Newest claim first; Rémi's was moved to the command's fixed clock, so only its place among the others varies.
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^2026-W47 {2}Rémi Référent : interrompu \(envoi incertain, jamais renvoyé\) le 30\/11\/2026 08:00$/,
        ),
        expect.stringMatching(/^2026-W48 {2}Dora Coordination : échec le .* — aucune conversation connue/),
        expect.stringMatching(
          /^2026-W48 {2}Claire Coordination : envoyé le .* \(slack_dm\) \[copie 1, forcé\]$/,
        ),
        expect.stringMatching(/^2026-W48 {2}Claire Coordination : envoyé le .* \(slack_dm\)$/),
      ]),
    );
    const json = JSON.parse((await digest('history', '--json', '--person', seeded.people.claire)).stdout);
    expect(json.map((row: { copy: number; status: string }) => [row.copy, row.status])).toEqual([
      [1, 'envoyé'],
      [0, 'envoyé'],
    ]);
  });

  it('refuses --force without --send, and an unknown subcommand', async () => {
    expect(await digest('--force')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--force va avec --send/),
    });
    expect(await digest('historique')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Action inconnue/),
    });
  });
});
