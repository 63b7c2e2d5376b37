import { DirectoryConflictError, type DirectoryRepository, type NewPerson } from '../core/directory.ts';
import type { AuthorRef, Collectivite, Role } from '../core/people.ts';

/**
 * Clearly fictitious collectivités and people for trying the product: no real collectivité is named,
 * the addresses are at exemple.org. Running the seed again changes nothing.
 */

/** Every demo person's address is at this domain, reserved for examples: the web chat's picker offers only them. */
export const DEMO_EMAIL_DOMAIN = 'exemple.org';

const DEMOVILLE = 'Commune de Démoville (démo)';
const VAL_FICTIF = 'Communauté de communes du Val-Fictif (démo)';

const COLLECTIVITES: Omit<Collectivite, 'id'>[] = [
  { name: DEMOVILLE, kind: 'commune' },
  { name: VAL_FICTIF, kind: 'epci' },
];

const PEOPLE: (NewPerson & { email: string; roles: { role: Role; collectivite?: string }[] })[] = [
  {
    displayName: 'Camille Démo',
    email: `camille.referente@${DEMO_EMAIL_DOMAIN}`,
    organisation: DEMOVILLE,
    roles: [{ role: 'referent', collectivite: DEMOVILLE }],
  },
  {
    displayName: 'Dominique Démo',
    email: `dominique.referent@${DEMO_EMAIL_DOMAIN}`,
    organisation: VAL_FICTIF,
    roles: [{ role: 'referent', collectivite: VAL_FICTIF }],
  },
  {
    displayName: 'Sacha Démo',
    email: `sacha.coordination@${DEMO_EMAIL_DOMAIN}`,
    organisation: 'Coordination fictive (démo)',
    roles: [
      { role: 'coordinateur', collectivite: DEMOVILLE },
      { role: 'coordinateur', collectivite: VAL_FICTIF },
    ],
  },
  {
    displayName: 'Alex Démo',
    email: `alex.admin@${DEMO_EMAIL_DOMAIN}`,
    organisation: 'Administration fictive (démo)',
    roles: [{ role: 'admin' }],
  },
];

export interface DemoOutcome {
  collectivites: { name: string; created: boolean }[];
  people: { email: string; displayName: string; created: boolean; rolesAdded: number }[];
}

/** Found, or created; a concurrent seed that created it first is as good. */
async function findOrCreate<T>(
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<{ value: T; created: boolean }> {
  const existing = await find();
  if (existing) return { value: existing, created: false };
  try {
    return { value: await create(), created: true };
  } catch (error) {
    const winner = error instanceof DirectoryConflictError ? await find() : undefined;
    if (winner) return { value: winner, created: false };
    throw error;
  }
}

export async function seedDemo(directory: DirectoryRepository, by: AuthorRef): Promise<DemoOutcome> {
  const outcome: DemoOutcome = { collectivites: [], people: [] };
  const ids = new Map<string, string>();
  for (const input of COLLECTIVITES) {
    const { value: collectivite, created } = await findOrCreate(
      () => directory.findCollectivite(input.name),
      () => directory.createCollectivite(input, by),
    );
    ids.set(input.name, collectivite.id);
    outcome.collectivites.push({ name: collectivite.name, created });
  }
  for (const { roles, ...input } of PEOPLE) {
    const { value: person, created } = await findOrCreate(
      () => directory.findPerson(input.email),
      () => directory.createPerson(input, by),
    );
    let rolesAdded = 0;
    for (const { role, collectivite } of roles) {
      const collectiviteId = collectivite === undefined ? undefined : ids.get(collectivite);
      if (await directory.grant({ personId: person.id, role, collectiviteId }, by)) rolesAdded += 1;
    }
    outcome.people.push({ email: input.email, displayName: person.displayName, created, rolesAdded });
  }
  return outcome;
}
