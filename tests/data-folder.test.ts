import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Attempt,
  acquireForServer,
  DataFolderBusyError,
  type DataFolderLease,
  type FolderHolder,
  readHolder,
  SERVER_ROLE,
  STALE_MS,
  tryAcquireDataFolder,
  waitingMessage,
} from '../bot/data-folder.ts';

let dataDir: string;
const leases: DataFolderLease[] = [];

const noCompromise = (error: Error) => {
  throw error;
};

async function acquire(role: string, port?: number): Promise<Attempt> {
  const attempt = await tryAcquireDataFolder(dataDir, { role, port }, noCompromise);
  if ('lease' in attempt) leases.push(attempt.lease);
  return attempt;
}

/** A pid that existed a moment ago and exists no more. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/** What a process killed with SIGKILL leaves behind: the lock directory and its holder file. */
async function leftBy(holder: FolderHolder, lockAgeMs: number) {
  const lock = path.join(dataDir, 'boussole.lock');
  await mkdir(lock);
  const then = new Date(Date.now() - lockAgeMs);
  await utimes(lock, then, then);
  await writeFile(path.join(dataDir, 'boussole.holder.json'), JSON.stringify(holder));
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'boussole-lock-'));
});
afterEach(async () => {
  for (const lease of leases.splice(0)) await lease.release();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the data folder lock', () => {
  it('lets one process hold the folder and tells the others who holds it', async () => {
    const first = await acquire(SERVER_ROLE, 3978);
    expect('lease' in first).toBe(true);
    if (!('lease' in first)) return;
    await first.lease.update({ port: 4000, control: '/tmp/x.sock' });
    const second = await acquire('ask');
    expect(second).toEqual({
      heldBy: {
        pid: process.pid,
        role: SERVER_ROLE,
        since: first.lease.holder.since,
        hostname: os.hostname(),
        port: 4000,
        control: '/tmp/x.sock',
      },
    });
  });

  it('is free again once released, and the holder file is gone', async () => {
    const first = await acquire('ingest');
    if (!('lease' in first)) throw new Error('verrou non obtenu');
    await first.lease.release();
    leases.splice(leases.indexOf(first.lease), 1);
    expect(await readHolder(dataDir)).toBeUndefined();
    expect('lease' in (await acquire('ask'))).toBe(true);
  });

  it('takes over the lock of a process that died once the library finds it stale', async () => {
    const dead = {
      pid: deadPid(),
      role: SERVER_ROLE,
      since: new Date().toISOString(),
      hostname: os.hostname(),
    };
    await leftBy(dead, STALE_MS + 1_000);
    const attempt = await acquire(SERVER_ROLE);
    expect('lease' in attempt).toBe(true);
    expect((await readHolder(dataDir))?.pid).toBe(process.pid);
  });

  it('waits, and says why, while the lock of a process that just died is still fresh', async () => {
    const dead = {
      pid: deadPid(),
      role: SERVER_ROLE,
      since: new Date().toISOString(),
      hostname: os.hostname(),
    };
    await leftBy(dead, 0);
    const attempt = await acquire(SERVER_ROLE);
    expect(attempt).toEqual({ heldBy: dead });
    expect(waitingMessage(dataDir, dead)).toMatch(
      new RegExp(
        `pid ${dead.pid}.*qui s’est arrêté sans le rendre : reprise dès que son verrou expire \\(10 s au plus\\)`,
      ),
    );
  });

  it('refuses a second server at once with a French message naming the holder', async () => {
    await acquire(SERVER_ROLE, 3978);
    const started = Date.now();
    const refused = acquireForServer(dataDir, 3979, { onCompromised: noCompromise, onWait: () => {} });
    await expect(refused).rejects.toBeInstanceOf(DataFolderBusyError);
    await expect(refused).rejects.toThrow(
      new RegExp(
        `^Le dossier de données ${dataDir} est déjà utilisé par le serveur Boussole \\(pid ${process.pid}, port 3978, depuis le \\d\\d/\\d\\d/\\d{4} à \\d\\d:\\d\\d:\\d\\d\\)\\.`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('lets a server wait for a command that holds the folder, then start', async () => {
    const command = await acquire('ingest');
    if (!('lease' in command)) throw new Error('verrou non obtenu');
    const waits: string[] = [];
    const server = acquireForServer(dataDir, 3978, {
      onCompromised: noCompromise,
      onWait: (m) => waits.push(m),
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(waits).toEqual([
      expect.stringMatching(
        /utilisé par la commande « ingest » \(pid \d+, depuis le .*\) : attente de la fin…$/,
      ),
    ]);
    await command.lease.release();
    leases.splice(leases.indexOf(command.lease), 1);
    leases.push(await server);
    expect((await readHolder(dataDir))?.role).toBe(SERVER_ROLE);
  });

  it('tells the holder when its lock was taken from it', async () => {
    let compromised: Error | undefined;
    const attempt = await tryAcquireDataFolder(dataDir, { role: SERVER_ROLE }, (error) => {
      compromised = error;
    });
    if (!('lease' in attempt)) throw new Error('verrou non obtenu');
    leases.push(attempt.lease);
    await rm(path.join(dataDir, 'boussole.lock'), { recursive: true });
    const deadline = Date.now() + 10_000;
    while (!compromised && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((compromised as NodeJS.ErrnoException | undefined)?.code).toBe('ECOMPROMISED');
  });

  it('keeps its files in the data folder: the lock directory and the holder file', async () => {
    await acquire('feedback');
    expect((await stat(path.join(dataDir, 'boussole.lock'))).isDirectory()).toBe(true);
    expect(JSON.parse(await readFile(path.join(dataDir, 'boussole.holder.json'), 'utf8')).role).toBe(
      'feedback',
    );
  });
});
