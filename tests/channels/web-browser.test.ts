import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let browser: Browser;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;

beforeAll(async () => {
  // Citations must point at this very server for the click to open the source viewer.
  knowledge = await openFixtureKnowledgeBase();
  server = await startTestServer({ knowledge, selfLinks: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
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
  await page.getByLabel('Votre question').fill(question);
  await page.keyboard.press('Enter');
  await page.locator('.message-bot .sources').waitFor();
}

describe('web chat in Chromium', () => {
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
