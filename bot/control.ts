import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Caller, CommandIO } from './cli/command.ts';
import type { Logger } from './logger.ts';

/**
 * The server's control endpoint: commands typed while the server holds the data folder run inside it.
 * It is a Unix socket in a 0700 folder of DATA_DIR: nothing listens on a network interface, not even
 * loopback, so no port and no token are needed; whoever may read the data folder may use it, and
 * nobody else.
 *
 * Protocol, one JSON object a line: the client sends a ControlRequest, the server answers with
 * `{"stdout": text}` and `{"stderr": text}` as the command writes, then `{"exit": code}`.
 */

export interface ControlRequest {
  command: string;
  argv: string[];
  caller: Caller;
}

type Frame = { stdout: string } | { stderr: string } | { exit: number };

/** sun_path holds 108 bytes on Linux and 104 on macOS. */
const MAX_SOCKET_PATH_BYTES = 100;
const MAX_REQUEST_BYTES = 1_000_000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface ControlEndpoint {
  socketPath: string;
  /** Stops accepting, lets commands that are running finish, then resolves. */
  close(): Promise<void>;
}

/** `DATA_DIR/run/control.sock`, or a private temporary folder when that path is too long for a socket. */
async function socketLocation(dataDir: string): Promise<{ socketPath: string; temporary?: string }> {
  const folder = path.join(dataDir, 'run');
  const socketPath = path.join(folder, 'control.sock');
  if (Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH_BYTES) {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
    // The folder is ours (the data folder's lock is held): a socket left by a killed server goes.
    await rm(socketPath, { force: true });
    return { socketPath };
  }
  const temporary = await mkdtemp(path.join(os.tmpdir(), 'boussole-control-'));
  return { socketPath: path.join(temporary, 'control.sock'), temporary };
}

function parseRequest(line: string): ControlRequest | undefined {
  try {
    const request = JSON.parse(line) as ControlRequest;
    const valid =
      typeof request.command === 'string' &&
      Array.isArray(request.argv) &&
      request.argv.every((arg) => typeof arg === 'string') &&
      typeof request.caller?.cwd === 'string' &&
      typeof request.caller?.timeZone === 'string' &&
      typeof request.caller?.user === 'string';
    return valid ? request : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the first line a socket sends, within a size and time limit. */
function firstLine(socket: Socket): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    socket.on('close', () => resolve(undefined));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end >= 0) {
        socket.setTimeout(0);
        socket.removeAllListeners('data');
        resolve(buffer.slice(0, end));
      } else if (buffer.length > MAX_REQUEST_BYTES) socket.destroy();
    });
  });
}

/** Listens on the control socket; `run` executes a command with the server's own context. */
export async function startControlEndpoint(options: {
  dataDir: string;
  run(request: ControlRequest, io: CommandIO): Promise<number>;
  logger: Logger;
}): Promise<ControlEndpoint> {
  const { socketPath, temporary } = await socketLocation(options.dataDir);
  const running = new Set<Promise<unknown>>();
  const sockets = new Set<Socket>();

  async function serve(socket: Socket) {
    const line = await firstLine(socket);
    if (line === undefined) return;
    const send = (frame: Frame) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`);
    };
    const request = parseRequest(line);
    if (!request) {
      send({ stderr: 'Requête de commande invalide.\n' });
      send({ exit: 2 });
      socket.end();
      return;
    }
    const started = performance.now();
    const exitCode = await options
      .run(request, { stdout: (text) => send({ stdout: text }), stderr: (text) => send({ stderr: text }) })
      .catch((error: unknown) => {
        send({ stderr: `La commande a échoué dans le serveur : ${(error as Error)?.message ?? error}\n` });
        return 1;
      });
    send({ exit: exitCode });
    socket.end();
    options.logger.info(
      { command: request.command, exitCode, durationMs: Math.round(performance.now() - started) },
      'commande exécutée pour le terminal',
    );
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const served = serve(socket);
    running.add(served);
    served.finally(() => running.delete(served)).catch(() => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  await chmod(socketPath, 0o600);

  return {
    socketPath,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      while (running.size > 0) await Promise.allSettled([...running]);
      for (const socket of sockets) socket.destroy();
      await closed;
      if (temporary) await rm(temporary, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a command in the server listening on `socketPath`, relaying its output as it comes. Resolves
 * with its exit code, or 'unreachable' when nothing listens there (a server starting or stopping).
 */
export function forwardCommand(
  socketPath: string,
  request: ControlRequest,
  io: CommandIO,
): Promise<number | 'unreachable'> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    let connected = false;
    let failure: NodeJS.ErrnoException | undefined;
    let exitCode: number | undefined;
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const frame = JSON.parse(buffer.slice(0, end)) as Frame;
        buffer = buffer.slice(end + 1);
        if ('stdout' in frame) io.stdout(frame.stdout);
        else if ('stderr' in frame) io.stderr(frame.stderr);
        else exitCode = frame.exit;
      }
    });
    socket.on('error', (error) => {
      failure = error;
    });
    socket.on('close', () => {
      if (exitCode !== undefined) return resolve(exitCode);
      if (!connected && (failure?.code === 'ENOENT' || failure?.code === 'ECONNREFUSED'))
        return resolve('unreachable');
      io.stderr(
        connected
          ? 'La connexion au serveur s’est interrompue avant la fin de la commande : elle a pu s’exécuter en partie.\n'
          : `Serveur injoignable sur ${socketPath} : ${failure?.message ?? 'connexion refusée'}.\n`,
      );
      resolve(1);
    });
  });
}
