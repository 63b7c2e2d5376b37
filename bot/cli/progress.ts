import cliProgress from 'cli-progress';

type Phase = 'lecture' | 'vecteurs' | 'index';
const LABELS: Record<Phase, string> = {
  lecture: 'Lecture des sources',
  vecteurs: 'Calcul des vecteurs',
  index: 'Écriture de l’index',
};

/** A progress bar on `terminal` when there is one; silent otherwise (CI logs, pipes, the server). */
export function createProgressReporter(terminal: NodeJS.WriteStream | undefined) {
  const bar = terminal?.isTTY
    ? new cliProgress.SingleBar(
        { format: '{phase} [{bar}] {value}/{total}', stream: terminal, clearOnComplete: true },
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
