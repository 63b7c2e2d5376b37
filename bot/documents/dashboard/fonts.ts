import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import * as fontkit from 'fontkit';
import * as vega from 'vega';

/**
 * The charts' font. resvg draws only the fonts it is given: with no system font loaded the text vanishes,
 * and loading the system's fonts costs about 90 ms a picture and gives a different picture on each
 * machine. So the charts use Inter, shipped by an npm package (@expo-google-fonts/inter, SIL OFL), loaded
 * by file: the same picture on a laptop, a server and CI. Should that package be missing, a sans-serif
 * the machine is known to have (Debian's DejaVu or Liberation, macOS's or Windows's Arial), and last the
 * system fonts as resvg finds them.
 *
 * Vega lays the text out (axis room, label truncation) with a canvas it cannot have on the server, and
 * otherwise guesses 0.8 em a character, far too wide: the same font file measures the text instead,
 * through Vega's documented hook for that (`textMetrics.width`, as vl-convert does).
 */

export interface ChartFont {
  family: string;
  regular: string;
  bold: string;
}

const require = createRequire(import.meta.url);

function bundledInter(): ChartFont | undefined {
  try {
    return {
      family: 'Inter',
      regular: require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
      bold: require.resolve('@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf'),
    };
  } catch {
    return undefined;
  }
}

/** Sans-serif fonts found at the same place on most machines, in order of preference. */
export const SYSTEM_FONTS: ChartFont[] = [
  {
    family: 'DejaVu Sans',
    regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  },
  {
    family: 'Liberation Sans',
    regular: '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf',
    bold: '/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf',
  },
  {
    family: 'Liberation Sans',
    regular: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    bold: '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  },
  {
    family: 'Arial',
    regular: '/System/Library/Fonts/Supplemental/Arial.ttf',
    bold: '/System/Library/Fonts/Supplemental/Arial Bold.ttf',
  },
  { family: 'Arial', regular: 'C:\\Windows\\Fonts\\arial.ttf', bold: 'C:\\Windows\\Fonts\\arialbd.ttf' },
];

/** The first font whose two files exist; undefined when none does (then resvg's system fonts). */
export function findChartFont(
  candidates: (ChartFont | undefined)[] = [bundledInter(), ...SYSTEM_FONTS],
  exists: (file: string) => boolean = existsSync,
): ChartFont | undefined {
  return candidates.find(
    (font): font is ChartFont => font !== undefined && exists(font.regular) && exists(font.bold),
  );
}

interface MeasuredText {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

type Measure = (text: string, size: number, bold: boolean) => number;

function measurer(font: ChartFont): Measure {
  const open = (file: string) => {
    const opened = fontkit.openSync(file);
    if (!('layout' in opened)) throw new Error(`${file} is a font collection, not a font`);
    return opened;
  };
  const faces = { regular: open(font.regular), bold: open(font.bold) };
  const cache = new Map<string, number>();
  return (text, size, bold) => {
    const key = `${bold ? 'b' : 'r'}${text}`;
    let units = cache.get(key);
    if (units === undefined) {
      const face = bold ? faces.bold : faces.regular;
      units = face.layout(text).advanceWidth / face.unitsPerEm;
      cache.set(key, units);
    }
    return units * size;
  };
}

const isBold = (weight: MeasuredText['fontWeight']) =>
  weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600);

export interface ChartText {
  /** The font family to name in the charts (Vega's `font`). */
  family: string;
  /** What resvg needs to draw that family. */
  resvg: NonNullable<ResvgRenderOptions['font']>;
  /** Width in pixels of a text in the chart font, when the font file is known. */
  measure?: Measure;
}

function setUp(): ChartText {
  const font = findChartFont();
  if (!font) return { family: 'sans-serif', resvg: { loadSystemFonts: true } };
  const measure = measurer(font);
  const textMetrics = (
    vega as unknown as { textMetrics: { width: (item: MeasuredText, text?: unknown) => number } }
  ).textMetrics;
  textMetrics.width = (item, text) => {
    const value = String(text ?? item.text ?? '').trim();
    const width = value === '' ? 0 : measure(value, item.fontSize ?? 11, isBold(item.fontWeight));
    // A label over its limit is drawn truncated to the limit.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  return {
    family: font.family,
    resvg: {
      loadSystemFonts: false,
      fontFiles: [font.regular, font.bold],
      defaultFontFamily: font.family,
      sansSerifFamily: font.family,
    },
    measure,
  };
}

let chartText: ChartText | undefined;

/** The charts' font, found and loaded once per process. */
export function chartFont(): ChartText {
  chartText ??= setUp();
  return chartText;
}
