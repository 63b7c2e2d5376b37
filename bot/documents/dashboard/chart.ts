import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Config } from 'vega-lite/types_unstable/config.js';
import { chartFont } from './fonts.ts';
import { INK, MUTED } from './sheet-kit.ts';

/**
 * A Vega-Lite chart drawn on the server with no browser: Vega-Lite compiles it, a headless Vega view (no
 * renderer) writes the SVG, resvg turns it into a PNG with the charts' font (fonts.ts). Dates and numbers
 * are written in French (« janv. 2027 », « 1 200 »), on UTC days so the picture does not depend on the
 * machine's time zone.
 */

export interface ChartPng {
  png: Buffer;
  width: number;
  height: number;
}

const names = (count: number, options: Intl.DateTimeFormatOptions, day: (index: number) => Date) => {
  const format = new Intl.DateTimeFormat('fr-FR', { ...options, timeZone: 'UTC' });
  return Array.from({ length: count }, (_, index) => format.format(day(index)));
};
// 1 January 2023 was a Sunday, d3's first day of the week.
const weekday = (index: number) => new Date(Date.UTC(2023, 0, 1 + index));
const monthStart = (index: number) => new Date(Date.UTC(2023, index, 1));

/** d3's locale definitions, from Intl's fr-FR names. */
export const FRENCH_LOCALE = {
  number: { decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', '\u00a0€'], percent: '\u202f%' },
  time: {
    dateTime: '%A %e %B %Y à %X',
    date: '%d/%m/%Y',
    time: '%H:%M:%S',
    periods: ['AM', 'PM'],
    days: names(7, { weekday: 'long' }, weekday),
    shortDays: names(7, { weekday: 'short' }, weekday),
    months: names(12, { month: 'long' }, monthStart),
    shortMonths: names(12, { month: 'short' }, monthStart),
  },
};

/** The look every chart shares: the charts' font, French locale, quiet axes. */
export function chartConfig(): Config {
  const family = chartFont().family;
  return {
    font: family,
    // Intl gives the lists; their lengths (7 days, 12 months) are what the type spells out.
    locale: FRENCH_LOCALE as Config['locale'],
    background: '#FFFFFF',
    view: { stroke: null },
    title: {
      anchor: 'start',
      fontSize: 17,
      fontWeight: 'bold',
      color: INK,
      subtitleColor: MUTED,
      subtitleFontSize: 12,
      offset: 14,
    },
    axis: {
      labelColor: INK,
      titleColor: INK,
      labelFontSize: 11,
      domainColor: '#C9D1DB',
      tickColor: '#C9D1DB',
      gridColor: '#E6EAF0',
    },
    legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, symbolType: 'square', symbolSize: 140 },
  };
}

/** A chart with nothing to draw: its title and a sentence saying why. */
export function messageSpec(
  title: { text: string; subtitle?: string | string[] },
  message: string,
  width: number,
): TopLevelSpec {
  return {
    title,
    width,
    height: 30,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: 14,
    data: { values: [{ message }] },
    mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 12, color: MUTED },
    encoding: { text: { field: 'message' }, x: { value: 0 }, y: { value: 15 } },
  };
}

/** The chart as an SVG string, laid out with the charts' font. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vegaSpec } = compile(spec, { config: chartConfig() });
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function chartPng(spec: TopLevelSpec): Promise<ChartPng> {
  const svg = await chartSvg(spec);
  const rendered = new Resvg(svg, { font: chartFont().resvg, background: '#FFFFFF' }).render();
  return { png: rendered.asPng(), width: rendered.width, height: rendered.height };
}
