// Read-only handles for the Playwright `_electron` test (test/e2e/electron-app.test.ts), which cannot
// reach the tray otherwise. Installed only when MAILBOX2ICS_E2E=1; never exposed to the window.
import type { BrowserWindow, Menu } from 'electron';

export interface E2eHooks {
  trayMenu(): Menu | undefined;
  window(): BrowserWindow | undefined;
}

export const E2E_GLOBAL = '__mailbox2icsE2e';

export function installE2eHooks(env: NodeJS.ProcessEnv, hooks: E2eHooks, target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): boolean {
  if (env.MAILBOX2ICS_E2E !== '1') return false;
  target[E2E_GLOBAL] = hooks;
  return true;
}
