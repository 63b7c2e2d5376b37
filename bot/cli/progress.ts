import cliProgress from 'cli-progress';

type Phase = 'lecture' | 'vecteurs' | 'index';
const LABELS: Record<Phase, string> = {
  lecture: 'Lecture des sources',
  vecteurs: 'Calcul des vecteurs',
  index: 'Écriture de l’index',
};

/** A progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes, JSON output). */
export function createProgressReporter() {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let current: Phase | undefined;
  return {
    update(step: { phase: Phase; done: number; total: number }) {
      if (!bar) return;
      if (step.phase !== current) {
        if (current) bar.stop();
        current = step.phase;
        bar.start(step.total, step.done, { phase: LABELS[step.phase] });
      } else {
        bar.update(step.done);
      }
    },
    stop() {
      if (current) bar?.stop();
      current = undefined;
    },
  };
}
