import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { type Config, loadConfig } from '../config.ts';

export const TEAMS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'teams');
export const PACKAGE_FILE = 'boussole-teams.zip';
export const PLACEHOLDER_BOT_ID = '00000000-0000-0000-0000-000000000000';
const ICONS = ['color.png', 'outline.png'] as const;

interface TeamsManifest {
  developer: { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  bots: { botId: string }[];
  validDomains: string[];
  [field: string]: unknown;
}

export interface TeamsPackage {
  zip: Buffer;
  manifest: TeamsManifest;
  /** French warnings for the person packaging: what to fix before side-loading. */
  warnings: string[];
}

/** The shipped manifest with this deployment's bot id and domain. */
export function customizeManifest(
  manifest: TeamsManifest,
  config: Pick<Config, 'teams' | 'publicUrl'>,
): { manifest: TeamsManifest; warnings: string[] } {
  const warnings: string[] = [];
  const botId = config.teams?.clientId ?? PLACEHOLDER_BOT_ID;
  if (!config.teams) {
    warnings.push(
      `Aucun identifiant d’application (clientId ou MicrosoftAppId) : le paquet porte le botId factice ${PLACEHOLDER_BOT_ID}. Renseignez l’identifiant de l’inscription Azure Bot puis relancez npm run teams:package.`,
    );
  }
  const publicUrl = new URL(config.publicUrl);
  const https = publicUrl.protocol === 'https:';
  if (!https) {
    warnings.push(
      `PUBLIC_URL (${config.publicUrl}) n’est pas en https : Teams exige des liens https, les liens « développeur » du manifeste sont gardés tels quels.`,
    );
  }
  const developer = https
    ? { websiteUrl: config.publicUrl, privacyUrl: config.publicUrl, termsOfUseUrl: config.publicUrl }
    : {};
  return {
    manifest: {
      ...manifest,
      developer: { ...manifest.developer, ...developer },
      bots: manifest.bots.map((bot) => ({ ...bot, botId })),
      validDomains: [publicUrl.hostname],
    },
    warnings,
  };
}

/** manifest.json and the two icons at the root of a zip, as Teams' "Upload a custom app" expects. */
export async function buildTeamsPackage(
  config: Pick<Config, 'teams' | 'publicUrl'>,
  teamsDir = TEAMS_DIR,
): Promise<TeamsPackage> {
  const shipped = JSON.parse(await readFile(path.join(teamsDir, 'manifest.json'), 'utf8')) as TeamsManifest;
  const { manifest, warnings } = customizeManifest(shipped, config);
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of ICONS) zip.file(icon, await readFile(path.join(teamsDir, icon)));
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { zip: buffer, manifest, warnings };
}

async function main(): Promise<void> {
  const built = await buildTeamsPackage(loadConfig());
  for (const warning of built.warnings) console.warn(`Attention : ${warning}`);
  const target = path.join(TEAMS_DIR, PACKAGE_FILE);
  await writeFile(target, built.zip);
  console.log(
    `Paquet Teams écrit : ${path.relative(process.cwd(), target)} (botId ${built.manifest.bots[0]?.botId}, domaine ${built.manifest.validDomains.join(', ')}).`,
  );
  console.log(
    'Dans Teams : Applications › Gérer vos applications › Charger une application › Charger une application personnalisée.',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
