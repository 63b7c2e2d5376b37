import { formatDate, formatPeriod } from '../../core/french/format.ts';
import { periodLabel } from '../../documents/dashboard/suivi-sheet.ts';
import { DUE_SOON_DAYS } from './build.ts';
import type { CollectiviteDigest, Digest, DigestItem } from './model.ts';
import { weekNumber } from './weeks.ts';

/**
 * The digest as titled lists, the one outline every renderer (Slack, Teams, web page, command line) lays
 * out in its own format: the wording is written once, here.
 */

export interface DigestGroup {
  label: string;
  items: DigestItem[];
}

export interface DigestSection {
  title: string;
  /** « Tâches : 12 faites, 3 en cours, 2 en retard, 5 à faire. » */
  summary: string;
  groups: DigestGroup[];
  /** Said when nothing is listed: « Rien de nouveau cette semaine. » */
  empty?: string;
}

export interface DigestOutline {
  title: string;
  intro: string;
  sections: DigestSection[];
  /** Across collectivités, never with who asked. */
  knowledge?: DigestSection;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function progressSummary(progress: CollectiviteDigest['progress']): string {
  const total = progress.done + progress.inProgress + progress.late + progress.todo;
  if (total === 0) return 'Aucune tâche au tableau de bord.';
  return `Tâches : ${plural(progress.done, 'faite', 'faites')}, ${progress.inProgress} en cours, ${progress.late} en retard, ${progress.todo} à faire.`;
}

function collectiviteSection(part: CollectiviteDigest, quarter: string): DigestSection {
  const groups: DigestGroup[] = [
    { label: 'Fiches créées', items: part.fiches.created },
    { label: 'Fiches modifiées', items: part.fiches.changed },
    { label: 'Fiches soumises', items: part.fiches.submitted },
    { label: 'Fiches validées', items: part.fiches.validated },
    { label: 'Fiches renvoyées « à revoir »', items: part.fiches.returned },
    { label: 'Tâches faites', items: part.tasks.done },
    { label: 'Tâches en retard', items: part.tasks.late },
    { label: `Tâches à échéance dans les ${DUE_SOON_DAYS} jours`, items: part.tasks.dueSoon },
    { label: 'Suivis remis', items: part.suivis.submitted },
    { label: 'Freins signalés', items: part.suivis.freins },
    { label: `Suivis attendus pour le ${periodLabel(quarter)}`, items: part.suivis.due },
    { label: 'Suivis manquants du trimestre passé', items: part.suivis.missing },
  ];
  if (part.nextBilanAnnuel) groups.push({ label: 'Prochain bilan annuel', items: [part.nextBilanAnnuel] });
  if (part.quiet) {
    const text = part.quiet.since
      ? `Aucune activité depuis le ${formatDate(part.quiet.since)}.`
      : 'Aucune activité enregistrée (ni fiche, ni tâche, ni suivi).';
    groups.unshift({ label: 'À relancer', items: [{ text }] });
  }
  const listed = groups.filter((group) => group.items.length > 0);
  return {
    title: part.collectivite.name,
    summary: progressSummary(part.progress),
    groups: listed,
    empty: listed.length === 0 ? 'Rien de nouveau cette semaine.' : undefined,
  };
}

/**
 * Chat messages show the first `maxItems` lines of each list, then « … et 12 autres » linked to the web page,
 * which shows them all.
 */
export function digestOutline(digest: Digest, options: { maxItems?: number } = {}): DigestOutline {
  const outline = fullOutline(digest);
  const { maxItems } = options;
  if (maxItems === undefined) return outline;
  const cut = (section: DigestSection): DigestSection => ({
    ...section,
    groups: section.groups.map((group) =>
      group.items.length <= maxItems
        ? group
        : {
            ...group,
            items: [
              ...group.items.slice(0, maxItems),
              { text: `… et ${group.items.length - maxItems} autres, sur la page web`, url: digest.url },
            ],
          },
    ),
  });
  return {
    ...outline,
    sections: outline.sections.map(cut),
    knowledge: outline.knowledge && cut(outline.knowledge),
  };
}

function fullOutline(digest: Digest): DigestOutline {
  const week = `semaine ${weekNumber(digest.week)} (${formatPeriod(digest.range.from, digest.range.to, { byDay: true })})`;
  const who =
    digest.audience === 'referent' ? 'ce qui vous concerne' : 'ce qui a bougé dans vos collectivités';
  const late = digest.late ? ' Envoyé en retard, après une interruption du service.' : '';
  const { unanswered, downvoted } = digest.knowledge;
  const knowledge =
    unanswered.length + downvoted.length > 0
      ? {
          title: 'Base documentaire',
          summary:
            'Questions posées cette semaine, sans le nom des personnes : de quoi compléter les documents.',
          groups: [
            {
              label: 'Questions restées sans réponse',
              items: unanswered.map((text) => ({ text: shorten(text, 300) })),
            },
            {
              label: 'Réponses jugées peu utiles (👎)',
              items: downvoted.map(({ question, answer }) => ({
                text: `${shorten(question, 300)} — réponse : ${shorten(answer, 200)}`,
              })),
            },
          ].filter((group) => group.items.length > 0),
        }
      : undefined;
  return {
    title: `Digest hebdomadaire – ${week}`,
    intro: `Bonjour ${digest.person.name}, voici ${who}.${late}`,
    sections: digest.collectivites.map((part) => collectiviteSection(part, digest.quarter)),
    knowledge,
  };
}

/** Cuts a long text (an answer quoted in the digest) at a word. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

/** The digest as plain French text: the command line's dry run. */
export function digestText(digest: Digest): string {
  const outline = digestOutline(digest);
  const lines = [outline.title, outline.intro, ''];
  for (const section of [...outline.sections, ...(outline.knowledge ? [outline.knowledge] : [])]) {
    lines.push(`## ${section.title}`, section.summary);
    if (section.empty) lines.push(section.empty);
    for (const group of section.groups) {
      lines.push(`${group.label} :`);
      for (const item of group.items) lines.push(`  • ${item.text}${item.url ? ` <${item.url}>` : ''}`);
    }
    lines.push('');
  }
  if (digest.charts.length > 0) lines.push(`Graphique d’avancement : ${digest.charts.join(' ')}`);
  lines.push(`Sur le web : ${digest.url}`);
  return `${lines.join('\n')}\n`;
}
