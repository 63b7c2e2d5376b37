import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandIO } from '../bot/cli/command.ts';
import {
  type ControlEndpoint,
  type ControlRequest,
  forwardCommand,
  startControlEndpoint,
} from '../bot/control.ts';
import { createCapturingLogger } from './support/capture-logger.ts';

let dataDir: string;
let endpoint: ControlEndpoint | undefined;

const request = (argv: string[]): ControlRequest => ({
  command: 'echo',
  argv,
  caller: { cwd: '/home/référente', timeZone: 'Europe/Paris', user: 'referente' },
});

function capture(): CommandIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

/** A server side that writes what it is asked to, as a command would, then exits with argv's last item. */
async function start(folder = dataDir, run?: Parameters<typeof startControlEndpoint>[0]['run']) {
  endpoint = await startControlEndpoint({
    dataDir: folder,
    logger: createCapturingLogger('silent').logger,
    run:
      run ??
      (async ({ argv, caller }, io) => {
        io.stdout(`${argv[0]}\n`);
        io.stderr(`depuis ${caller.cwd}\n`);
        io.stdout(`${argv[1]}`);
        return Number(argv[2]);
      }),
  });
  return endpoint;
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'boussole-control-test-'));
});
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

describe('the control endpoint', () => {
  it('runs a command in the server and relays its output and exit code unchanged', async () => {
    const { socketPath } = await start();
    const io = capture();
    const big = `${'é👍 '.repeat(100_000)}fin`;
    const code = await forwardCommand(socketPath, request(['{"json":"ligne"}', big, '3']), io);
    expect(code).toBe(3);
    expect(io.out).toBe(`{"json":"ligne"}\n${big}`);
    expect(io.err).toBe('depuis /home/référente\n');
  });

  it('is a socket only its owner may use, in a private folder of DATA_DIR', async () => {
    const { socketPath } = await start();
    expect(socketPath).toBe(path.join(dataDir, 'run', 'control.sock'));
    expect((await stat(socketPath)).isSocket()).toBe(true);
    expect((await stat(socketPath)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(socketPath))).mode & 0o777).toBe(0o700);
  });

  it('falls back to a private temporary folder when DATA_DIR is too deep for a socket path', async () => {
    const deep = path.join(dataDir, 'un-dossier-de-données-dont-le-chemin-est-vraiment-très-long'.repeat(2));
    const { socketPath } = await start(deep);
    expect(socketPath.startsWith(path.join(os.tmpdir(), 'boussole-control-'))).toBe(true);
    expect((await stat(path.dirname(socketPath))).mode & 0o777).toBe(0o700);
    expect(await forwardCommand(socketPath, request(['a', 'b', '0']), capture())).toBe(0);
    await endpoint!.close();
    endpoint = undefined;
    await expect(stat(path.dirname(socketPath))).rejects.toThrow();
  });

  it('says unreachable when no server listens, so the caller can wait or run on its own', async () => {
    expect(await forwardCommand(path.join(dataDir, 'absent.sock'), request([]), capture())).toBe(
      'unreachable',
    );
  });

  it('answers a malformed request with exit code 2 and a French message', async () => {
    const { socketPath } = await start();
    const reply = await new Promise<string>((resolve) => {
      const socket = createConnection(socketPath, () => socket.write('{"command": 3}\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
    });
    expect(reply).toBe('{"stderr":"Requête de commande invalide.\\n"}\n{"exit":2}\n');
  });

  it('lets a running command finish before it closes', async () => {
    let release!: () => void;
    const { socketPath } = await start(dataDir, async (_request, io) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      io.stdout('terminé\n');
      return 0;
    });
    const io = capture();
    const forwarded = forwardCommand(socketPath, request([]), io);
    while (!release) await new Promise((resolve) => setTimeout(resolve, 10));
    const closed = endpoint!.close();
    endpoint = undefined;
    release();
    await closed;
    expect(await forwarded).toBe(0);
    expect(io.out).toBe('terminé\n');
  });
});
