import { z } from 'zod';
import { LINK_DAYS } from '../channels/web-session.ts';
import type { CollectiviteKind } from '../core/people.ts';
import { CommandError } from './command.ts';

/** What `npm run admin` accepts, validated with French messages naming the option at fault. */

const frenchErrors = z.locales.fr().localeError;

const withoutAccents = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

const name = z.string().trim().min(2, 'au moins 2 caractères').max(200, 'au plus 200 caractères');

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('adresse e-mail invalide (exemple : prenom.nom@exemple.org)'));

const kinds = ['commune', 'epci', 'departement'] as const satisfies CollectiviteKind[];

const CODE_FORMATS: Record<CollectiviteKind, { pattern: RegExp; expected: string }> = {
  commune: {
    pattern: /^(\d{5}|2[AB]\d{3})$/,
    expected: 'un code INSEE de commune à 5 caractères (77284, 2A004)',
  },
  epci: { pattern: /^\d{9}$/, expected: 'un SIREN à 9 chiffres' },
  departement: { pattern: /^(\d{2}|2[AB]|97\d)$/, expected: 'un code INSEE de département (77, 2A, 974)' },
};

export const collectiviteSchema = z
  .object({
    nom: name,
    type: z.string().transform(withoutAccents).pipe(z.enum(kinds, 'commune, epci ou departement')),
    code: z
      .string()
      .transform((code) => code.replace(/\s+/g, '').toUpperCase())
      .optional(),
  })
  .superRefine((input, context) => {
    const format = CODE_FORMATS[input.type];
    if (input.code !== undefined && !format.pattern.test(input.code)) {
      context.addIssue({
        code: 'custom',
        path: ['code'],
        message: `attendu pour une ${input.type} : ${format.expected}`,
      });
    }
  });

export const personSchema = z.object({
  nom: name,
  email: emailSchema,
  organisation: z.string().trim().min(1, 'vide').max(200, 'au plus 200 caractères').optional(),
});

/** An e-mail, or a person's id. */
const personReference = z.string().trim().min(1, 'manquant');

export const personReferenceSchema = z.object({ email: personReference });

export const roleSchema = z
  .object({
    email: personReference,
    role: z
      .string()
      .transform(withoutAccents)
      .pipe(z.enum(['referent', 'coordinateur', 'admin'], 'referent, coordinateur ou admin')),
    collectivite: z.string().trim().min(1, 'vide').optional(),
  })
  .superRefine((input, context) => {
    if (input.role !== 'admin' && input.collectivite === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['collectivite'],
        message: `un rôle de ${input.role} se donne dans une collectivité : ajoutez --collectivite <nom|code|id>`,
      });
    }
  });

export const identitySchema = z.object({
  canal: z.enum(['slack', 'teams', 'web'], 'slack, teams ou web'),
  espace: z.string().trim().min(1, 'manquant'),
  utilisateur: z.string().trim().min(1, 'manquant'),
  email: emailSchema,
});

export const limitSchema = z.object({
  limit: z.coerce
    .number('un nombre entier est attendu')
    .int('un nombre entier est attendu')
    .min(1, 'au moins 1')
    .max(1000, 'au plus 1000')
    .default(20),
});

export const inviteSchema = z.object({
  email: personReference,
  jours: z.coerce
    .number('un nombre entier de jours est attendu')
    .int('un nombre entier de jours est attendu')
    .min(1, 'au moins 1 jour')
    .max(LINK_DAYS.max, `au plus ${LINK_DAYS.max} jours`)
    .default(LINK_DAYS.default),
});

/**
 * Parses with French messages; a problem is a usage error (exit code 2) naming the option (`--nom`) or
 * the argument (`<email>`) at fault.
 */
export function validate<T extends z.ZodType>(
  schema: T,
  input: Record<string, unknown>,
  usage: string,
  options: readonly string[] = [],
): z.output<T> {
  const parsed = schema.safeParse(input, { error: frenchErrors });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return `  - ${options.includes(key) ? `--${key}` : `<${key}>`} : ${issue.message}`;
  });
  throw new CommandError(`Saisie invalide :\n${problems.join('\n')}\n\nUsage : npm run admin -- ${usage}`, 2);
}
