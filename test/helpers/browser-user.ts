// Debian's Chromium (playwright-core) plays the person at the test authorization server: signs in
// with a password, then allows or denies. Test-only; the server's throwaway CA is not trusted by
// Chromium, so TLS errors are ignored for that origin only in this throwaway profile.
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from './renderer-harness.ts';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface BrowserUser {
  /** Opens url, signs in as user/password, then clicks Allow or Deny; resolves when the loopback page shows. */
  signIn(url: string, user: string, password: string, answer?: 'Allow' | 'Deny'): Promise<string>;
  /** Device flow: opens the verification URL, types the code, confirms, signs in and answers. */
  device(verificationUri: string, userCode: string, user: string, password: string, answer?: 'Allow' | 'Deny'): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowserUser(): Promise<BrowserUser> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const consent = async (page: import('playwright-core').Page, user: string, password: string, answer: 'Allow' | 'Deny') => {
    await page.getByLabel('Email').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: answer }).click();
  };
  return {
    async signIn(url, user, password, answer = 'Allow') {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      try {
        const page = await context.newPage();
        await page.goto(url);
        await consent(page, user, password, answer);
        await page.waitForURL(/^http:\/\/(127\.0\.0\.1|localhost):\d+\//).catch(async (e) => {
          throw new Error(`the browser did not come back to the loopback redirect: at ${page.url()}: ${(await page.content()).slice(0, 600)} (${(e as Error).message})`);
        });
        return (await page.locator('h1').textContent()) ?? '';
      } finally {
        await context.close();
      }
    },
    async device(verificationUri, userCode, user, password, answer = 'Allow') {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      try {
        const page = await context.newPage();
        await page.goto(verificationUri);
        await page.locator('input[name="user_code"]').fill(userCode);
        await page.locator('button[type="submit"], input[type="submit"]').first().click();
        // oidc-provider's own confirmation form ("Continue").
        await page.locator('button[type="submit"], input[type="submit"]').first().click();
        await consent(page, user, password, answer);
        await page.waitForLoadState('load');
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}
