import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { chartSvg } from '../../../bot/documents/dashboard/chart.ts';
import { EXAMPLE_TODAY, exampleTasks } from '../../../bot/documents/dashboard/example.ts';
import { chartFont, findChartFont, SYSTEM_FONTS } from '../../../bot/documents/dashboard/fonts.ts';
import { ganttPng, ganttSpec } from '../../../bot/documents/dashboard/gantt.ts';
import { progressChartPng, progressSpec } from '../../../bot/documents/dashboard/progress.ts';
import { STATUS_STYLES } from '../../../bot/documents/dashboard/tasks.ts';
import type { Task } from '../../../bot/features/dashboard/model.ts';

const NBSP = '\u00a0';
const collectivite = { name: 'Commune de Démoville (démo)' };

/** Width and height from a PNG's signature and IHDR chunk: what an image viewer reads. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** How many pixels of the drawn SVG have exactly this colour. */
function pixelsOf(svg: string, hex: string): number {
  const { pixels } = new Resvg(svg, { font: chartFont().resvg }).render();
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  let count = 0;
  for (let at = 0; at < pixels.length; at += 4) {
    if (pixels[at] === r && pixels[at + 1] === g && pixels[at + 2] === b) count += 1;
  }
  return count;
}

/** The texts the SVG draws, in order (a line of a multi-line text is a tspan). */
const textsOf = (svg: string) =>
  [...svg.matchAll(/<(text|tspan)[^>]*>([^<]+)<\/\1>/g)].map((match) => match[2]);

const gantt = (tasks: Task[] = exampleTasks(), today = EXAMPLE_TODAY) =>
  chartSvg(ganttSpec({ collectivite, tasks, today }));

describe('the Gantt picture', () => {
  it('is a valid PNG of the requested width, 1200 pixels by default', async () => {
    const picture = await ganttPng({ collectivite, tasks: exampleTasks(), today: EXAMPLE_TODAY });
    expect(pngSize(picture.png)).toEqual({ width: picture.width, height: picture.height });
    expect(picture.width).toBe(1200);
    expect(picture.height).toBeGreaterThan(24 * 23);
    const narrow = await ganttPng({ collectivite, tasks: exampleTasks(), today: EXAMPLE_TODAY, width: 900 });
    expect(pngSize(narrow.png).width).toBe(900);
  });

  it('grows by one 24-pixel row per task', async () => {
    const tasks = exampleTasks();
    const more = [
      ...tasks,
      ...[1, 2, 3].map((extra) => ({
        ...tasks[1]!,
        id: `extra-${extra}`,
        number: 100 + extra,
      })),
    ];
    const [before, after] = await Promise.all(
      [tasks, more].map((list) => ganttPng({ collectivite, tasks: list, today: EXAMPLE_TODAY })),
    );
    expect(after!.height - before!.height).toBe(3 * 24);
  });

  it('titles the collectivité and writes months, phases and tasks in French', async () => {
    const texts = textsOf(await gantt());
    expect(texts).toContain('Calendrier du projet — Commune de Démoville (démo)');
    expect(texts).toContain('Situation au 15 juin 2027 · 18 tâches, dont 1 en retard');
    expect(texts).toContain('1 tâche sans date n’apparaît pas ici');
    expect(texts.filter((text) => /^[a-zéû]+\.? 20\d\d$/.test(text!))).toEqual([
      'janv. 2027',
      'avr. 2027',
      'juil. 2027',
      'oct. 2027',
      'janv. 2028',
      'avr. 2028',
      'juil. 2028',
      'oct. 2028',
    ]);
    expect(texts).toContain('Préfiguration du projet');
    expect(texts).toContain('Évaluation de la coopérative d’acteurs');
    expect(texts).toContain('1. Rencontres avec les acteurs concernés');
    expect(texts).toContain('Centre social Les Tilleuls');
    expect(texts).toContain('aujourd’hui');
    expect(texts).not.toContain('5. Charte graphique de la coopérative');
    // The legend, in the guide's words.
    for (const status of ['fait', 'en cours', 'à faire', 'en retard', 'abandonné'])
      expect(texts).toContain(status);
  });

  it('draws a bar per task with a duration, a diamond per one-day task, a thin bar per phase', async () => {
    const svg = await gantt();
    const roles = (role: string) => svg.split(`aria-roledescription="${role}"`).length - 1;
    // 17 dated tasks: 4 of one day; 6 phases.
    expect(roles('point')).toBe(4);
    expect(roles('bar')).toBe(13 + 6);
  });

  it('paints a late task red, and the same task in progress blue before its end date', async () => {
    const red = STATUS_STYLES.en_retard.fill;
    const blue = STATUS_STYLES.en_cours.fill;
    const late = await gantt();
    const onTime = await gantt(exampleTasks(), '2027-06-01');
    // On time, the only red is the legend's swatch; late, a whole bar more.
    expect(pixelsOf(onTime, red)).toBeLessThan(150);
    expect(pixelsOf(late, red) - pixelsOf(onTime, red)).toBeGreaterThan(300);
    expect(pixelsOf(onTime, blue)).toBeGreaterThan(pixelsOf(late, blue));
  });

  it('does not depend on the machine’s time zone', async () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const utc = await gantt();
      process.env.TZ = 'Pacific/Kiritimati';
      // The zone did change for this process (UTC+14), and the picture did not.
      expect(new Date(Date.UTC(2027, 5, 15)).getTimezoneOffset()).toBe(-14 * 60);
      expect(await gantt()).toBe(utc);
    } finally {
      process.env.TZ = zone;
      if (zone === undefined) delete process.env.TZ;
    }
  });

  it('still draws a dashboard without any dated task', async () => {
    const undated = exampleTasks().filter((task) => !task.values.debut);
    const picture = await ganttPng({ collectivite, tasks: undated, today: EXAMPLE_TODAY });
    expect(pngSize(picture.png).width).toBe(1200);
    const texts = textsOf(await gantt(undated));
    expect(texts).toContain('Situation au 15 juin 2027 · 1 tâche, aucune en retard');
    expect(texts).toContain(
      'Aucune tâche datée : le calendrier se remplit avec les dates de début et de fin.',
    );
  });
});

describe('the charts’ font', () => {
  it('is Inter from its npm package, so every machine draws the same picture', () => {
    const font = findChartFont();
    expect(font?.family).toBe('Inter');
    expect(font?.regular).toMatch(/@expo-google-fonts\/inter\/400Regular\/Inter_400Regular\.ttf$/);
    expect(chartFont().resvg).toMatchObject({ loadSystemFonts: false, defaultFontFamily: 'Inter' });
  });

  it('falls back to a sans-serif the machine has, then to the system fonts', () => {
    const liberation = SYSTEM_FONTS[1]!;
    const only = (files: string[]) => (file: string) => files.includes(file);
    expect(findChartFont([undefined, ...SYSTEM_FONTS], only([liberation.regular, liberation.bold]))).toBe(
      liberation,
    );
    // A regular face without its bold does not do.
    expect(findChartFont([undefined, ...SYSTEM_FONTS], only([SYSTEM_FONTS[0]!.regular]))).toBeUndefined();
  });

  it('draws text that resvg alone, with no font loaded, would leave out', () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-size="20" font-family="${chartFont().family}" fill="#000000">Préfiguration</text></svg>`;
    const inked = (font: ConstructorParameters<typeof Resvg>[1]) =>
      new Resvg(svg, font).render().pixels.filter((_, index) => index % 4 === 3 && _ > 0).length;
    expect(inked({ font: chartFont().resvg })).toBeGreaterThan(300);
    expect(inked({ font: { loadSystemFonts: false } })).toBe(0);
  });

  it('measures text for Vega’s layout: wider in bold, about half an em a letter', () => {
    const measure = chartFont().measure!;
    const regular = measure('Préfiguration du projet', 11, false);
    expect(regular).toBeGreaterThan(23 * 11 * 0.4);
    expect(regular).toBeLessThan(23 * 11 * 0.65);
    expect(measure('Préfiguration du projet', 11, true)).toBeGreaterThan(regular);
  });
});

describe('the progress chart of the weekly digest', () => {
  const rows = [
    { collectivite: 'Commune de Démoville (démo)', done: 12, inProgress: 4, late: 2, todo: 22 },
    { collectivite: 'Ville-sur-Marne', done: 2, inProgress: 1, late: 5, todo: 30 },
  ];

  it('is a valid PNG, 640 pixels wide, 30 pixels taller per collectivité', async () => {
    const two = await progressChartPng(rows);
    expect(pngSize(two.png)).toEqual({ width: 640, height: two.height });
    expect(two.width).toBe(640);
    const three = await progressChartPng([...rows, { ...rows[1]!, collectivite: 'Petiteville' }]);
    expect(three.height - two.height).toBe(30);
  });

  it('stacks done, in progress, late and to do, with the share done', async () => {
    const svg = await chartSvg(progressSpec(rows));
    const texts = textsOf(svg);
    expect(texts).toContain('Avancement par collectivité');
    expect(texts).toContain('Commune de Démoville (démo)');
    expect(texts).toContain(`30${NBSP}% fait`);
    expect(texts).toContain(`5${NBSP}% fait`);
    expect(texts).toContain('22');
    expect(pixelsOf(svg, STATUS_STYLES.en_retard.fill)).toBeGreaterThan(100);
  });

  it('says so when there is no collectivité to show', async () => {
    const empty = await progressChartPng([]);
    expect(pngSize(empty.png).width).toBe(640);
    expect(textsOf(await chartSvg(progressSpec([])))).toContain('Aucune collectivité à afficher.');
  });
});
