import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';

/**
 * One process owns a data folder: the server, or a command run on its own. The lock is
 * proper-lockfile's (an atomic mkdir whose mtime the holder refreshes); since the lock does not say who
 * holds it, the holder writes a small file beside it for the others to name it. With DATABASE_URL the
 * folder is locked all the same: the search index lives in it, so each server needs its own DATA_DIR.
 */

/** What another process reads of the one that holds the folder. */
export interface FolderHolder {
  pid: number;
  /** `serveur` for `npm start`, else the command's name (`ingest`, `ask`…). */
  role: string;
  /** ISO date of the moment it took the folder. */
  since: string;
  hostname: string;
  /** HTTP port, once the server listens. */
  port?: number;
  /** Unix socket of the server's control endpoint, once it listens. */
  control?: string;
}

export const SERVER_ROLE = 'serveur';
const LOCK_DIR = 'boussole.lock';
const HOLDER_FILE = 'boussole.holder.json';
/** A lock not refreshed for this long belonged to a process that died (SIGKILL, power cut): it is taken over. */
export const STALE_MS = 10_000;
const UPDATE_MS = 2_000;
/** Between two attempts of a process waiting for the folder. */
export const WAIT_MS = 250;

export interface DataFolderLease {
  readonly holder: FolderHolder;
  /** Adds what becomes known after start-up (port, control socket) to the holder file. */
  update(details: Pick<FolderHolder, 'port' | 'control'>): Promise<void>;
  release(): Promise<void>;
}

export type Attempt = { lease: DataFolderLease } | { heldBy: FolderHolder | undefined };

const holderFile = (dataDir: string) => path.join(dataDir, HOLDER_FILE);

async function writeHolder(dataDir: string, holder: FolderHolder): Promise<void> {
  const file = holderFile(dataDir);
  await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify(holder, null, 2));
  await rename(`${file}.${process.pid}.tmp`, file);
}

/** The holder file's content; undefined while it is being written or when it is unreadable. */
export async function readHolder(dataDir: string): Promise<FolderHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(holderFile(dataDir), 'utf8')) as FolderHolder;
    return Number.isInteger(holder.pid) && typeof holder.role === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** False only when the holder surely died: a process of this machine that no longer exists. */
export function isAlive(holder: FolderHolder): boolean {
  if (holder.hostname !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One attempt at taking the folder: the lease, or the holder (undefined when its file is not written
 * yet). `onCompromised` is told if another process ever takes the lock over, after which this process
 * must stop writing.
 */
export async function tryAcquireDataFolder(
  dataDir: string,
  identity: { role: string; port?: number },
  onCompromised: (error: Error) => void,
): Promise<Attempt> {
  await mkdir(dataDir, { recursive: true });
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, LOCK_DIR),
      stale: STALE_MS,
      update: UPDATE_MS,
      onCompromised,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    return { heldBy: await readHolder(dataDir) };
  }
  let holder: FolderHolder = {
    pid: process.pid,
    role: identity.role,
    since: new Date().toISOString(),
    hostname: os.hostname(),
    ...(identity.port === undefined ? {} : { port: identity.port }),
  };
  await writeHolder(dataDir, holder);
  return {
    lease: {
      get holder() {
        return holder;
      },
      async update(details) {
        holder = { ...holder, ...details };
        await writeHolder(dataDir, holder);
      },
      async release() {
        // The file is left alone if the lock was taken over meanwhile: it names the new holder then.
        const current = await readHolder(dataDir);
        if (current?.pid === holder.pid && current.since === holder.since)
          await rm(holderFile(dataDir), { force: true });
        await unlock().catch(() => {});
      },
    },
  };
}

function describeHolder(holder: FolderHolder): string {
  const date = new Date(holder.since);
  const since = `${date.toLocaleDateString('fr-FR')} à ${date.toLocaleTimeString('fr-FR')}`;
  const what = holder.role === SERVER_ROLE ? 'le serveur Boussole' : `la commande « ${holder.role} »`;
  const where = holder.hostname === os.hostname() ? '' : ` sur la machine ${holder.hostname}`;
  const port = holder.port === undefined ? '' : `, port ${holder.port}`;
  return `${what} (pid ${holder.pid}${where}${port}, depuis le ${since})`;
}

/** « le serveur Boussole (pid 123, port 3978, depuis le …) », or a neutral phrase when the holder is unknown. */
export function holderPhrase(holder: FolderHolder | undefined): string {
  return holder ? describeHolder(holder) : 'un autre processus Boussole';
}

/** What a process waiting for the folder tells its user, once. */
export function waitingMessage(dataDir: string, holder: FolderHolder | undefined): string {
  if (holder && !isAlive(holder))
    return (
      `Le dossier de données ${dataDir} était tenu par ${describeHolder(holder)}, qui s’est arrêté ` +
      `sans le rendre : reprise dès que son verrou expire (${STALE_MS / 1000} s au plus).`
    );
  if (holder?.role === SERVER_ROLE)
    return `${capitalized(describeHolder(holder))} démarre : la commande partira dès qu’il sera prêt.`;
  return `Le dossier de données ${dataDir} est utilisé par ${holderPhrase(holder)} : attente de la fin…`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Takes the folder for the server: refused at once while another live server holds it; waits while
 * a command holds it (it will end) or while the lock of a process that died goes stale.
 */
export async function acquireForServer(
  dataDir: string,
  port: number,
  events: { onCompromised(error: Error): void; onWait(message: string): void },
): Promise<DataFolderLease> {
  let told = false;
  for (;;) {
    const attempt = await tryAcquireDataFolder(dataDir, { role: SERVER_ROLE, port }, events.onCompromised);
    if ('lease' in attempt) return attempt.lease;
    const holder = attempt.heldBy;
    if (holder?.role === SERVER_ROLE && isAlive(holder)) throw new DataFolderBusyError(dataDir, holder);
    if (!told) events.onWait(waitingMessage(dataDir, holder));
    told = true;
    await sleep(WAIT_MS);
  }
}

export class DataFolderBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: FolderHolder | undefined,
  ) {
    super(
      `Le dossier de données ${dataDir} est déjà utilisé par ${holderPhrase(holder)}. ` +
        'Un seul serveur peut l’ouvrir : arrêtez celui-ci, ou donnez un autre DATA_DIR à ce serveur. ' +
        'Les commandes (npm run ask, ingest, feedback) passent par le serveur en marche.',
    );
  }
}
