import type { PersonRecord } from '../core/directory.ts';
import { type AuditEntry, type Collectivite, ROLE_LABELS } from '../core/people.ts';

/** How `npm run admin` shows the directory in a terminal (`--json` prints the data instead). */

const KIND_LABELS: Record<Collectivite['kind'], string> = {
  commune: 'commune',
  epci: 'EPCI',
  departement: 'département',
};

const ACTION_LABELS: Record<string, string> = {
  'collectivite.create': 'collectivité créée',
  'person.create': 'personne créée',
  'person.deactivate': 'personne désactivée',
  'membership.grant': 'rôle donné',
  'membership.revoke': 'rôle retiré',
  'identity.link': 'compte lié',
  'fiche.discard': 'brouillon abandonné',
};

/** Aligned columns, the header underlined; cells never wrap. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}

/** « référent de Commune de Démoville (démo) », « administrateur » (of the whole deployment). */
export function roleText(membership: PersonRecord['memberships'][number]): string {
  const role = ROLE_LABELS[membership.role];
  return membership.collectivite ? `${role} de ${membership.collectivite.name}` : role;
}

export function collectivitesTable(collectivites: Collectivite[]): string {
  if (collectivites.length === 0)
    return 'Aucune collectivité. Créez-en une avec « collectivite add » (ou « demo »).';
  return table(
    ['Nom', 'Type', 'Code', 'Id'],
    collectivites.map((c) => [c.name, KIND_LABELS[c.kind], c.code ?? '—', c.id]),
  );
}

export function peopleTable(people: PersonRecord[]): string {
  if (people.length === 0) return 'Aucune personne. Ajoutez-en une avec « personne add » (ou « demo »).';
  return table(
    ['Nom', 'E-mail', 'Organisation', 'Rôles', 'Comptes'],
    people.map((person) => [
      person.deactivatedAt ? `${person.displayName} (accès retiré)` : person.displayName,
      person.email ?? '—',
      person.organisation ?? '—',
      person.memberships.map(roleText).join(', ') || '—',
      person.identities.map((identity) => `${identity.channel}:${identity.externalUserId}`).join(', ') || '—',
    ]),
  );
}

function detailsText(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  return (
    Object.entries(details)
      // Ids are for scripts (--json); the names they point to are in the details already.
      .filter(([key, value]) => value !== undefined && !key.endsWith('Id'))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ')
  );
}

/** One line per entry; `names` turns the ids of people and collectivités into names where known. */
export function journalTable(
  entries: (AuditEntry & { at: Date })[],
  names: Map<string, string>,
  timeZone: string,
): string {
  if (entries.length === 0) return 'Le journal est vide.';
  return table(
    ['Date', 'Par', 'Action', 'Sujet', 'Détails'],
    entries.map((entry) => [
      entry.at.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone }),
      entry.actor.name,
      ACTION_LABELS[entry.action] ?? entry.action,
      names.get(entry.subjectId) ?? `${entry.subjectType} ${entry.subjectId}`,
      detailsText(entry.details),
    ]),
  );
}
