import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, PLACEHOLDER_BOT_ID } from '../../bot/cli/teams-package.ts';
import { loadConfig } from '../../bot/config.ts';

const APP_ID = '5a1c9e2b-3f4d-4e6a-8b7c-9d0e1f2a3b4c';

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function unzip(zip: Buffer) {
  const archive = await JSZip.loadAsync(zip);
  const read = async (name: string) => {
    const file = archive.file(name);
    if (!file) throw new Error(`${name} missing from the package`);
    return file.async('nodebuffer');
  };
  return { names: Object.keys(archive.files).sort(), read };
}

describe('npm run teams:package', () => {
  it('zips a manifest with the bot id and domain, and both icons at their sizes, at the root', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PUBLIC_URL: 'https://boussole.acme.fr',
      MicrosoftAppId: APP_ID,
    });
    const built = await buildTeamsPackage(config);
    expect(built.warnings).toEqual([]);

    const archive = await unzip(built.zip);
    expect(archive.names).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse((await archive.read('manifest.json')).toString('utf8'));
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.19);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(manifest.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ botId: APP_ID, supportsFiles: true });
    expect(manifest.bots[0].scopes).toEqual(expect.arrayContaining(['personal', 'team']));
    const commands = manifest.bots[0].commandLists[0].commands;
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description).toMatch(/[éèàêç’]|\b(les|une|des|et)\b/);
    }
    expect(manifest.validDomains).toEqual(['boussole.acme.fr']);
    expect(manifest.developer.websiteUrl).toBe('https://boussole.acme.fr');
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);

    expect(pngSize(await archive.read('color.png'))).toEqual({ width: 192, height: 192 });
    expect(pngSize(await archive.read('outline.png'))).toEqual({ width: 32, height: 32 });
  });

  it('takes the bot id from clientId too, and warns about a placeholder bot id and a non-https PUBLIC_URL', async () => {
    const withSdkName = await buildTeamsPackage(loadConfig({ NODE_ENV: 'test', clientId: APP_ID }));
    expect(withSdkName.manifest.bots[0]?.botId).toBe(APP_ID);

    const bare = await buildTeamsPackage(loadConfig({ NODE_ENV: 'test', PORT: '3978' }));
    expect(bare.manifest.bots[0]?.botId).toBe(PLACEHOLDER_BOT_ID);
    expect(bare.manifest.validDomains).toEqual(['localhost']);
    expect(bare.warnings).toEqual([
      expect.stringMatching(/clientId ou MicrosoftAppId/),
      expect.stringMatching(/https/),
    ]);
  });
});
