import { watch } from 'chokidar';

export interface SourcesWatcher {
  close(): Promise<void>;
}

/** Quiet time after the last change before the sources are looked at: a copy of many files is one change. */
export const SOURCES_DEBOUNCE_MS = 1_000;

/**
 * Watches the sources folder and calls `onChange` once the folder has been quiet for `debounceMs`,
 * and once when the watch starts (a file may have changed while the server was starting). What
 * changed is not looked at here: the re-index compares the sources with the index.
 */
export function watchSources(options: {
  sourcesDir: string;
  onChange(): void;
  onError(error: unknown): void;
  debounceMs?: number;
}): SourcesWatcher {
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(options.onChange, options.debounceMs ?? SOURCES_DEBOUNCE_MS);
  };
  const watcher = watch(options.sourcesDir, { ignoreInitial: true })
    .on('all', changed)
    .on('ready', changed)
    .on('error', options.onError);
  return {
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
