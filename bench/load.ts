import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../bot/cli/support.ts';
import type { Metric } from './report.ts';

/** How often the fakes' call lists are read: the resolution of reply times. */
const POLL_MS = 2;

export interface LoadResult {
  lost: number;
  duplicated: number;
  /** From the request sent to the first reply received by the fake, per question answered. */
  replyMs: number[];
}

/**
 * Matches the calls a fake records to the questions that each expect exactly one reply, and stamps
 * each call when it shows up (within POLL_MS).
 */
export class ReplyTracker<Call> {
  private seen = 0;
  private readonly arrivals = new Map<string, number[]>();
  private readonly sentAt = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly calls: Call[],
    /** The question a call answers, or undefined for calls that are not replies (typing, status…). */
    private readonly keyOf: (call: Call) => string | undefined,
  ) {
    this.timer = setInterval(() => this.collect(), POLL_MS);
  }

  private collect(): void {
    const now = performance.now();
    for (; this.seen < this.calls.length; this.seen++) {
      const key = this.keyOf(this.calls[this.seen]!);
      if (key !== undefined) this.arrivals.set(key, [...(this.arrivals.get(key) ?? []), now]);
    }
  }

  /** Records that the question `key` was just sent. */
  sent(key: string): void {
    this.sentAt.set(key, performance.now());
  }

  /** Waits for the first reply to `key`; false after `timeoutMs`. */
  async waitForReply(key: string, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.arrivals.has(key)) {
      if (performance.now() > deadline) return false;
      await sleep(POLL_MS);
    }
    return true;
  }

  /** Stops watching after a grace period for late duplicates, and counts. */
  async finish(graceMs: number): Promise<LoadResult> {
    await sleep(graceMs);
    this.collect();
    clearInterval(this.timer);
    const result: LoadResult = { lost: 0, duplicated: 0, replyMs: [] };
    for (const [key, sentAt] of this.sentAt) {
      const arrivals = this.arrivals.get(key) ?? [];
      if (arrivals.length === 0) result.lost++;
      if (arrivals.length > 1) result.duplicated++;
      if (arrivals[0] !== undefined) result.replyMs.push(arrivals[0] - sentAt);
    }
    return result;
  }
}

/**
 * `users` simulated people asking `questions` in turns: each sends a question, waits for its answer
 * (or the timeout), then sends the next. Bounded by the number of questions.
 */
export async function runUsers(
  questions: string[],
  users: number,
  ask: (question: string, user: number, index: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let index = user; index < questions.length; index += users)
        await ask(questions[index]!, user, index);
    }),
  );
}

/** Every tenth question is sent a second time (Slack retry, Teams redelivery). */
export const isRepeated = (index: number) => index % 10 === 3;

/** The lines a channel contributes to the report. */
export function channelMetrics(channel: string, result: LoadResult, questions: number): Metric[] {
  return [
    {
      label: `${channel} : réponses perdues (sur ${questions})`,
      value: result.lost,
      unit: '',
      target: { equals: 0 },
    },
    { label: `${channel} : réponses en double`, value: result.duplicated, unit: '', target: { equals: 0 } },
    {
      label: `${channel} : réponse p95 sans LLM`,
      value: result.replyMs.length ? percentile(result.replyMs, 95) : undefined,
      unit: 'ms',
      target: { below: 1000 },
    },
  ];
}
