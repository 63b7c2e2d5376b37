import { LINK_DAYS, signInLink, WEB_SESSION_SECRET } from '../channels/web-session.ts';
import type { DirectoryRepository, PersonRecord } from '../core/directory.ts';
import { type AuthorRef, type Collectivite, ROLE_LABELS } from '../core/people.ts';
import type { SettingsRepository } from '../core/ports.ts';
import { seedDemo } from './admin-demo.ts';
import { collectivitesTable, journalTable, peopleTable } from './admin-format.ts';
import {
  collectiviteSchema,
  identitySchema,
  inviteSchema,
  limitSchema,
  personReferenceSchema,
  personSchema,
  roleSchema,
  validate,
} from './admin-input.ts';
import { CommandError } from './command.ts';

/** The subcommands of `npm run admin`, each a function of its validated input to a text and a JSON result. */

export interface ActionContext {
  /** Opened on first use: a usage or input error needs no database. */
  directory(): Promise<DirectoryRepository>;
  /** The secrets shared by every process on the database (the web chat's signing key). */
  settings(): Promise<SettingsRepository>;
  /** Base of the web chat's links. */
  publicUrl: string;
  now(): Date;
  /** The administrator at the keyboard, as the audit log records them. */
  by: AuthorRef;
  timeZone: string;
}

export interface ActionOutput {
  text: string;
  json: unknown;
}

export interface Action {
  /** After « npm run admin -- ». */
  usage: string;
  summary: string;
  /** Named positional arguments, in order. */
  positionals?: readonly string[];
  /** Options taking a value (--json and --help are common to all). */
  options?: readonly string[];
  run(input: Record<string, string | undefined>, context: ActionContext): Promise<ActionOutput>;
}

async function personOrFail(directory: DirectoryRepository, reference: string): Promise<PersonRecord> {
  const person = await directory.findPerson(reference);
  if (!person) {
    throw new CommandError(
      `Aucune personne « ${reference} ». Voyez « personne list » ou ajoutez-la avec « personne add ».`,
    );
  }
  return person;
}

async function collectiviteOrFail(directory: DirectoryRepository, reference: string): Promise<Collectivite> {
  const collectivite = await directory.findCollectivite(reference);
  if (!collectivite)
    throw new CommandError(`Aucune collectivité « ${reference} ». Voyez « collectivite list ».`);
  return collectivite;
}

const who = (person: PersonRecord) => `${person.displayName} (${person.email ?? person.id})`;

const personJson = (person: PersonRecord) => ({
  id: person.id,
  displayName: person.displayName,
  email: person.email,
});

function membershipAction(grant: boolean): Action {
  const usage = `role ${grant ? 'add' : 'remove'} <email> referent|coordinateur|admin [--collectivite <nom|code|id>]`;
  return {
    usage,
    summary: grant
      ? 'donne un rôle dans une collectivité ; admin sans --collectivite = administrateur de tout le déploiement'
      : 'retire ce rôle',
    positionals: ['email', 'role'],
    options: ['collectivite'],
    async run(input, context) {
      const { email, role, collectivite: reference } = validate(roleSchema, input, usage, this.options);
      const directory = await context.directory();
      const person = await personOrFail(directory, email);
      const collectivite =
        reference === undefined ? undefined : await collectiviteOrFail(directory, reference);
      const membership = { personId: person.id, role, collectiviteId: collectivite?.id };
      const changed = grant
        ? await directory.grant(membership, context.by)
        : await directory.revoke(membership, context.by);
      const reactivated = grant && changed && person.deactivatedAt !== undefined;
      const what = `${ROLE_LABELS[role]}${collectivite ? ` de ${collectivite.name}` : ' de tout le déploiement'}`;
      const text = !changed
        ? `${who(person)} ${grant ? 'était déjà' : 'n’était pas'} ${what} : rien n’a changé.`
        : `${grant ? 'Rôle donné' : 'Rôle retiré'} : ${who(person)} ${grant ? 'est désormais' : 'n’est plus'} ${what}.${
            reactivated ? ' Son accès est rétabli.' : ''
          }`;
      return {
        text,
        json: { changed, reactivated, person: personJson(person), role, collectivite: collectivite ?? null },
      };
    },
  };
}

/** By « sujet verbe » (or a single word), in the order the help lists them. */
export const ACTIONS: Record<string, Action> = {
  'collectivite add': {
    usage: 'collectivite add --nom "…" --type commune|epci|departement [--code CODE]',
    summary: 'crée une collectivité (code INSEE d’une commune ou d’un département, SIREN d’un EPCI)',
    options: ['nom', 'type', 'code'],
    async run(input, context) {
      const { nom, type, code } = validate(collectiviteSchema, input, this.usage, this.options);
      const collectivite = await (await context.directory()).createCollectivite(
        { name: nom, kind: type, code },
        context.by,
      );
      return {
        text: `Collectivité créée : ${collectivite.name} (${collectivite.kind}${code ? `, ${code}` : ''}), id ${collectivite.id}.`,
        json: collectivite,
      };
    },
  },
  'collectivite list': {
    usage: 'collectivite list',
    summary: 'liste les collectivités',
    async run(_input, context) {
      const collectivites = await (await context.directory()).listCollectivites();
      return { text: collectivitesTable(collectivites), json: collectivites };
    },
  },
  'personne add': {
    usage: 'personne add --nom "…" --email ADRESSE [--organisation "…"]',
    summary: 'ajoute une personne (ses comptes Slack, Teams ou web la retrouvent par cette adresse)',
    options: ['nom', 'email', 'organisation'],
    async run(input, context) {
      const { nom, email, organisation } = validate(personSchema, input, this.usage, this.options);
      const person = await (await context.directory()).createPerson(
        { displayName: nom, email, organisation },
        context.by,
      );
      return {
        text: `Personne ajoutée : ${who(person)}, id ${person.id}.\nDonnez-lui un rôle : npm run admin -- role add ${email} referent --collectivite "…"`,
        json: person,
      };
    },
  },
  'personne list': {
    usage: 'personne list',
    summary: 'liste les personnes, leurs rôles et leurs comptes',
    async run(_input, context) {
      const people = await (await context.directory()).listPeople();
      return { text: peopleTable(people), json: people };
    },
  },
  'personne desactiver': {
    usage: 'personne desactiver <email>',
    summary: 'retire tout accès (rôles, comptes liés) ; l’historique reste ; un nouveau rôle le rétablit',
    positionals: ['email'],
    async run(input, context) {
      const { email } = validate(personReferenceSchema, input, this.usage);
      const directory = await context.directory();
      const person = await personOrFail(directory, email);
      const changed = await directory.deactivatePerson(person.id, context.by);
      return {
        text: changed
          ? `Accès retiré à ${who(person)} : rôles retirés, comptes déliés. Son historique reste.`
          : `${who(person)} n’avait déjà plus d’accès : rien n’a changé.`,
        json: { changed, person: personJson(person) },
      };
    },
  },
  'role add': membershipAction(true),
  'role remove': membershipAction(false),
  'identite link': {
    usage: 'identite link <canal> <espace> <utilisateur> <email>',
    summary:
      'lie à une personne un compte slack|teams|web (espace : équipe Slack, tenant Teams, « local » pour le web)',
    positionals: ['canal', 'espace', 'utilisateur', 'email'],
    async run(input, context) {
      const { canal, espace, utilisateur, email } = validate(identitySchema, input, this.usage);
      const directory = await context.directory();
      const person = await personOrFail(directory, email);
      if (person.deactivatedAt) {
        throw new CommandError(
          `${who(person)} n’a plus d’accès : donnez-lui d’abord un rôle (role add) pour le rétablir.`,
        );
      }
      const identity = { channel: canal, workspaceId: espace, externalUserId: utilisateur };
      await directory.linkIdentity(identity, person.id, context.by);
      return {
        text: `Compte ${canal} ${espace}/${utilisateur} lié à ${who(person)}.`,
        json: { identity, person: personJson(person) },
      };
    },
  },
  invite: {
    usage: 'invite <email> [--jours N]',
    summary: `imprime un lien personnel de connexion au chat web, signé, valable N jours (${LINK_DAYS.default} par défaut, ${LINK_DAYS.max} au plus)`,
    positionals: ['email'],
    options: ['jours'],
    async run(input, context) {
      const { email, jours } = validate(inviteSchema, input, this.usage, this.options);
      const directory = await context.directory();
      const person = await personOrFail(directory, email);
      if (person.deactivatedAt) {
        throw new CommandError(
          `${who(person)} n’a plus d’accès : donnez-lui d’abord un rôle (role add) pour le rétablir.`,
        );
      }
      const secret = await (await context.settings()).getOrCreateSecret(WEB_SESSION_SECRET);
      const { url, expiresAt } = signInLink(context.publicUrl, secret, person.id, jours, context.now());
      const until = new Intl.DateTimeFormat('fr-FR', {
        timeZone: context.timeZone,
        dateStyle: 'long',
        timeStyle: 'short',
      }).format(expiresAt);
      const rights =
        person.memberships.length === 0
          ? '\nCette personne n’a encore aucun rôle : elle pourra poser des questions, pas rédiger de fiche (role add).'
          : '';
      return {
        text: `Lien de connexion pour ${who(person)}, valable jusqu’au ${until} :\n${url}\nÀ lui transmettre personnellement : quiconque l’ouvre est connecté sous son nom.${rights}`,
        json: { url, expiresAt: expiresAt.toISOString(), person: personJson(person) },
      };
    },
  },
  journal: {
    usage: 'journal [--limit N]',
    summary: 'les dernières modifications (qui, quand, quoi), les plus récentes d’abord ; 20 par défaut',
    options: ['limit'],
    async run(input, context) {
      const { limit } = validate(limitSchema, input, this.usage, this.options);
      const directory = await context.directory();
      const [entries, people, collectivites] = await Promise.all([
        directory.auditLog(limit),
        directory.listPeople(),
        directory.listCollectivites(),
      ]);
      const names = new Map(
        [...people, ...collectivites].map((item) => [
          item.id,
          'displayName' in item ? item.displayName : item.name,
        ]),
      );
      return { text: journalTable(entries, names, context.timeZone), json: entries };
    },
  },
  demo: {
    usage: 'demo',
    summary: 'crée des collectivités et des personnes fictives pour essayer (sans effet la seconde fois)',
    async run(_input, context) {
      const outcome = await seedDemo(await context.directory(), context.by);
      const lines = [
        ...outcome.collectivites.map((c) => `${c.created ? 'Créée' : 'Déjà là'} : ${c.name}`),
        ...outcome.people.map(
          (p) =>
            `${p.created ? 'Ajoutée' : 'Déjà là'} : ${p.displayName} <${p.email}>${p.rolesAdded ? ` (+${p.rolesAdded} rôle${p.rolesAdded > 1 ? 's' : ''})` : ''}`,
        ),
      ];
      return {
        text: `Données de démonstration (fictives) :\n${lines.map((line) => `  ${line}`).join('\n')}`,
        json: outcome,
      };
    },
  },
};
