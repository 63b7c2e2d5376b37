import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import { exampleValues } from '../../bot/documents/example-fiche.ts';
import type { Fiche } from '../../bot/features/fiches/model.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** Checked once by tests/support/global-setup.ts: undefined when Chromium is absent, and the tests are skipped. */
const chromiumPath = inject('chromiumPath');

let database: Database;
let server: TestServer<Database['repositories']>;
let browser: Browser;
let fiche: Fiche;
/** Typed by someone into a field: must show as text, never as markup. */
const MARKUP = '<img src=x onerror="document.title=\'piégé\'"> Centre social <b>Les Tilleuls</b>';

beforeAll(async () => {
  database = await openDatabase({ dataDir: inMemoryDataDir });
  const { directory, fiches } = database.repositories;
  await seedDemo(directory, { name: 'test' });
  const demoville = await directory.findCollectivite('Commune de Démoville (démo)');
  fiche = await fiches.create({
    collectiviteId: demoville!.id,
    values: { ...exampleValues(), promoteur: MARKUP },
    changes: [],
    author: { name: 'test' },
  });
  server = await startTestServer({
    repositories: database.repositories,
    selfLinks: true,
    env: { NODE_ENV: 'development' },
  });
  if (chromiumPath)
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.close();
});

describe.skipIf(!chromiumPath)('a recap section edited in the web chat’s inline form', () => {
  it('opens the section with its values, shows refused values under their inputs, then posts the new recap', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 2400 } });
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    await page.getByRole('button', { name: 'Comment rédiger une convention de partenariat ?' }).waitFor();
    await page
      .getByLabel('Vous êtes :')
      .selectOption({ label: 'Camille Démo (référent · Commune de Démoville (démo))' });
    await page.locator('#messages:not([aria-busy]) .message-bot').first().waitFor();
    const message = page.getByLabel('Votre message');
    await message.fill(`reprendre la fiche ${fiche.number}`);
    await message.press('Enter');
    const card = page.locator('.message-bot .record-card').last();
    await card.waitFor();

    // Typed markup stays text, in the card and in the form.
    await card.getByRole('button', { name: 'Modifier la section Identification' }).click();
    const identification = card.locator('form.section-form');
    await identification.waitFor();
    expect(await identification.getByLabel('Promoteur référent').inputValue()).toBe(MARKUP);
    expect(await page.locator('.record-card img, .record-card b').count()).toBe(0);
    expect(await page.title()).not.toBe('piégé');
    await identification.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(() => card.locator('form.section-form').count()).toBe(0);

    const edit = card.getByRole('button', { name: 'Modifier la section Moyens' });
    await edit.click();
    const form = card.locator('form.section-form');
    await form.waitFor();
    expect(await edit.getAttribute('aria-expanded')).toBe('true');
    const budget = form.getByLabel('Budget total');
    expect((await budget.inputValue()).replace(/[\u00a0\u202f]/g, ' ')).toBe('12 000 €');
    await budget.fill('beaucoup');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    const error = card.locator('[data-field="budget"] .form-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/montant/i);
    expect(
      await card.locator('form.section-form').getByLabel('Budget total').getAttribute('aria-invalid'),
    ).toBe('true');
    // The picture in the README (docs/images/section-form-web.png): the section with its form open.
    await card.locator('.card-section', { has: page.locator('form.section-form') }).screenshot({
      path: '/tmp/boussole-section-form.png',
    });
    await card.locator('form.section-form').getByLabel('Budget total').fill('15 000 €');
    await card.locator('form.section-form').getByRole('button', { name: 'Enregistrer' }).click();

    const recap = page.locator('.message-bot .record-card').nth(1);
    await recap.waitFor();
    expect(await recap.locator('.card-subtitle').textContent()).toContain(`version ${fiche.version + 1}`);
    expect(await page.locator('.message-bot').last().textContent()).toContain(
      '✓ Section « Moyens » enregistrée',
    );
    expect(await card.locator('form.section-form').count()).toBe(0);
    expect((await database.repositories.fiches.get(fiche.id))?.values.budget).toBe(15_000);
    await context.close();
  });
});
