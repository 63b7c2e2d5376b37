import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** Checked once by tests/support/global-setup.ts: undefined when Chromium is absent, and the tests are skipped. */
const chromiumPath = inject('chromiumPath');

let server: TestServer;
let browser: Browser;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;

beforeAll(async () => {
  // Citations must point at this very server for the click to open the source viewer.
  knowledge = await openFixtureKnowledgeBase();
  server = await startTestServer({ knowledge, selfLinks: true });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await knowledge?.dispose();
});

async function askInPage(page: Page, question: string) {
  await page.goto(server.baseUrl);
  await page.getByRole('button', { name: 'Comment rédiger une convention de partenariat ?' }).waitFor();
  await page.getByLabel('Votre message').fill(question);
  await page.keyboard.press('Enter');
  await page.locator('.message-bot .sources').waitFor();
}

describe.skipIf(!chromiumPath)('web chat in Chromium', () => {
  it('shows a typed question’s answer with citations; a citation opens the highlighted passage', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await askInPage(page, 'Comment rédiger une convention de partenariat ?');
    const answer = page.locator('.message-bot').last();
    await expect
      .poll(() => answer.locator('.answer-text').textContent())
      .toMatch(/convention de partenariat précise/);
    await expect
      .poll(() => answer.locator('.sources li').first().textContent())
      .toMatch(/\[1\] .+ › Convention de partenariat/);
    await page.screenshot({ path: '/tmp/boussole-chat-desktop.png', fullPage: true });

    const [viewer] = await Promise.all([
      context.waitForEvent('page'),
      answer.locator('.answer-text a', { hasText: '[1]' }).first().click(),
    ]);
    await viewer.waitForLoadState();
    expect(await viewer.locator('h1').textContent()).toMatch(/Guide de la Coopérative/);
    const mark = viewer.locator('#passage-cite mark').first();
    expect(await mark.textContent()).toMatch(/Une convention de partenariat précise/);
    await expect.poll(() => mark.isVisible()).toBe(true);
    await expect.poll(() => viewer.evaluate(() => document.activeElement?.id)).toBe('passage-cite');
    await viewer.screenshot({ path: '/tmp/boussole-viewer-desktop.png' });
    await context.close();
  });

  it('works on a phone-sized screen, feedback buttons included', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await askInPage(page, 'Quelles sont les étapes du diagnostic local de santé ?');
    const useful = page.getByRole('button', { name: '👍 Utile' }).last();
    await useful.click();
    await expect.poll(() => useful.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/Merci/);
    expect(server.repositories.state.feedback.at(-1)).toMatchObject({ rating: 'up', channel: 'web' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: '/tmp/boussole-chat-phone.png', fullPage: true });
    await context.close();
  });
});

describe.skipIf(!chromiumPath)('a fiche-action in Chromium, as a demo person', () => {
  let database: Database;
  let dev: TestServer<Database['repositories']>;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: inMemoryDataDir });
    const { directory, fiches } = database.repositories;
    await seedDemo(directory, { name: 'test' });
    // An earlier fiche of the collectivité: its programme is offered as a button.
    const demoville = await directory.findCollectivite('Commune de Démoville (démo)');
    await fiches.create({
      collectiviteId: demoville!.id,
      values: { programme: 'Coopérative d’acteurs de Démoville 2027-2029', intitule: 'Marche santé' },
      changes: [],
      author: { name: 'test' },
    });
    dev = await startTestServer({
      knowledge,
      repositories: database.repositories,
      selfLinks: true,
      env: { NODE_ENV: 'development' },
    });
  });
  afterAll(async () => {
    await dev?.close();
    await database?.close();
  });

  const lastBot = (page: Page) => page.locator('.message-bot').last();

  it('picks a demo person, answers by typing and by a button, and follows the form by its data- attributes', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(dev.baseUrl);
    await expect.poll(() => page.locator('.demo-badge').textContent()).toMatch(/^Mode démonstration/);
    const picker = page.getByLabel('Vous êtes :');
    await page.getByRole('button', { name: 'Comment rédiger une convention de partenariat ?' }).waitFor();
    await picker.selectOption({ label: 'Camille Démo (référent · Commune de Démoville (démo))' });
    // The conversation starts again for the person chosen: the list is busy until its greeting is there.
    await page
      .locator('#messages:not([aria-busy]) button', {
        hasText: 'Comment rédiger une convention de partenariat ?',
      })
      .waitFor();
    expect(await page.locator('.message').count()).toBe(1);

    const message = page.getByLabel('Votre message');
    await message.fill('nouvelle fiche-action');
    await message.press('Enter');
    await page.locator('.message-bot[data-field="programme"]').waitFor();
    expect(await lastBot(page).getAttribute('data-form')).toBe('fiche_action');
    expect(await lastBot(page).getAttribute('data-step')).toBe('question');

    // One answer by its button; focus goes back to the message box for the next one.
    await lastBot(page).getByRole('button', { name: 'Coopérative d’acteurs de Démoville 2027-2029' }).click();
    await page.locator('.message-bot[data-field="intitule"]').waitFor();
    expect(await page.locator('.message-user p:not(.visually-hidden)').last().textContent()).toBe(
      'Coopérative d’acteurs de Démoville 2027-2029',
    );
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('question');
    expect(await message.getAttribute('placeholder')).toMatch(/Votre réponse/);

    // Two answers typed.
    await message.fill('Ateliers cuisine et santé pour les familles');
    await message.press('Enter');
    await page.locator('.message-bot[data-field="promoteur"]').waitFor();
    await message.fill('Centre social Les Tilleuls');
    await message.press('Enter');
    await page.locator('.message-bot[data-field="contact"]').waitFor();
    const question = lastBot(page);
    expect(await question.getAttribute('data-form')).toBe('fiche_action');
    expect(await question.getAttribute('data-step')).toBe('question');
    expect(await question.getAttribute('data-record')).toMatch(/\S+/);
    expect(await question.textContent()).toContain('✓ Promoteur référent : Centre social Les Tilleuls');

    // The recap card: a section per part of the fiche, « à compléter », and an edit button per section.
    await message.fill('récap');
    await message.press('Enter');
    // Mid-form, « récap » shows the card, then asks the same question again.
    await page.locator('.message-bot .record-card').waitFor();
    expect(await lastBot(page).getAttribute('data-field')).toBe('contact');
    const card = lastBot(page).locator('.record-card');
    expect(await card.locator('.card-title').textContent()).toBe(
      'Fiche-action n° 2 · Ateliers cuisine et santé pour les familles',
    );
    expect(await card.locator('.card-section h4').allTextContents()).toEqual([
      'Identification',
      'Objectifs',
      'Contenu',
      'Calendrier',
      'Public et territoire',
      'Moyens',
      'Évaluation',
    ]);
    expect(await card.locator('.card-field-missing dd').first().textContent()).toBe('à compléter');
    await page.screenshot({ path: '/tmp/boussole-recap-desktop.png', fullPage: true });
    // A saved fiche's section opens its own form in the card (native-edit-browser.test.ts goes further).
    await card.getByRole('button', { name: 'Modifier la section Calendrier' }).click();
    await card.locator('form.section-form [data-field="periode"]').waitFor();

    // On a phone, the card fits the screen.
    await page.setViewportSize({ width: 375, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: '/tmp/boussole-recap-phone.png', fullPage: true });

    // What was answered in the page is in the database, written by Camille.
    const { directory, fiches } = database.repositories;
    const demoville = await directory.findCollectivite('Commune de Démoville (démo)');
    const drafted = (await fiches.list({ collectiviteIds: [demoville!.id] })).find(
      (fiche) => fiche.title === 'Ateliers cuisine et santé pour les familles',
    );
    expect(drafted?.values).toMatchObject({
      programme: 'Coopérative d’acteurs de Démoville 2027-2029',
      promoteur: 'Centre social Les Tilleuls',
    });
    const camille = await directory.findPerson('camille.referente@exemple.org');
    expect((await fiches.history(drafted!.id))[0]!.author.personId).toBe(camille!.id);
    await context.close();
  });
});
