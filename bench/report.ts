import type { Embedder } from '../knowledge/types.ts';

export interface BenchOptions {
  /** Fewer queries, runs and users: a smoke run, not a measurement. */
  quick: boolean;
  only?: 'knowledge' | 'channels' | 'documents' | 'dashboard' | 'drafting' | 'digest';
  /** The PostgreSQL server of the second channels leg; the bench creates and drops its own database there. */
  databaseUrl: string;
}

/** Where the channels are measured: PGlite in the bench's data folder, or a throwaway PostgreSQL database. */
export type BenchDatabase = { name: 'PGlite' } | { name: 'PostgreSQL'; url: string };

/** The bench server's memory, in Mo: resident and its parts once idle, then peaks. */
export interface ServerMemory {
  /** Resident size once started and settled, before any request. */
  rssMb: number;
  /** JavaScript objects, then memory outside the JS heap (WebAssembly memory, buffers), at that time. */
  heapMb: number;
  externalMb: number;
  /** Highest resident size sampled while the bench sent its questions. */
  loadPeakRssMb: number;
  /** Highest resident size of the process's whole life, start included. */
  maxRssMb: number;
}

/** A throwaway data folder with the bench's own index, built from the configured sources. */
export interface BenchWorkspace {
  dataDir: string;
  indexDir: string;
  sourcesDir: string;
  embedder: Embedder;
}

export interface Metric {
  label: string;
  /** Undefined when it could not be measured on this machine. */
  value: number | undefined;
  unit: 'ms' | 's' | 'Mo' | '';
  /** The issue's target, in the same unit: strictly below, or exactly equal. */
  target?: { below: number } | { equals: number };
}

export interface MetricSection {
  title: string;
  metrics: Metric[];
}

function formatValue(value: number, unit: Metric['unit']): string {
  const digits = unit === 's' ? 2 : unit === 'ms' && value < 10 ? 1 : 0;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function targetText(metric: Metric): string {
  if (!metric.target) return '';
  // Targets are round figures, written as the issues write them.
  const figure = 'below' in metric.target ? metric.target.below : metric.target.equals;
  const inSeconds = metric.unit === 'ms' && figure >= 1000 && figure % 1000 === 0;
  const text = inSeconds ? `${figure / 1000} s` : `${figure}${metric.unit ? ` ${metric.unit}` : ''}`;
  return 'below' in metric.target ? `< ${text}` : text;
}

function targetMet(metric: Metric): string {
  if (!metric.target || metric.value === undefined) return '';
  const met =
    'below' in metric.target ? metric.value < metric.target.below : metric.value === metric.target.equals;
  return met ? '✓' : '✗';
}

/** One line per metric: label, value, the issue's target and whether this run reached it. */
export function formatReport(header: string, sections: MetricSection[]): string {
  const labels = sections.flatMap((section) => section.metrics.map((metric) => metric.label));
  const labelWidth = Math.max(...labels.map((label) => label.length), 'Mesure'.length) + 2;
  const valueWidth = 12;
  const row = (label: string, value: string, target: string, mark: string) =>
    `  ${label.padEnd(labelWidth)}${value.padStart(valueWidth)}   ${target.padEnd(10)} ${mark}`.trimEnd();
  const lines = [header, '', row('Mesure', 'Valeur', 'Cible', '')];
  for (const section of sections) {
    lines.push(section.title);
    for (const metric of section.metrics) {
      const value = metric.value === undefined ? 'n/d' : formatValue(metric.value, metric.unit);
      lines.push(row(metric.label, value, targetText(metric), targetMet(metric)));
    }
  }
  return lines.join('\n');
}
