import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../bot/logger.ts';

/** A pino logger writing JSON lines into an array, to assert what is (and is not) logged. */
export function createCapturingLogger(level: pino.LevelWithSilent = 'info'): {
  logger: Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
