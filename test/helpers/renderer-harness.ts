// Runs the built renderer in Debian's Chromium (playwright-core) with window.mailbox2ics served by a
// real AppService in the test process, through the same IPC validation main uses. Test-only: the
// page is served from 127.0.0.1 (Chromium refuses module scripts from file://), never beyond.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { handleRequest, type ServiceLike } from '../../electron/main/ipc-wiring.ts';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type InvokeChannel } from '../../electron/shared/ipc-channels.ts';
import { CSP } from '../../electron/main/window.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
export const RENDERER_DIST = path.join(ROOT, 'renderer', 'dist');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Builds the renderer once per test run (vite build, ~seconds). */
export function buildRenderer(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'pipe' });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

/** Serves renderer/dist with the app's CSP as a header (as main sets it), nothing outside it. */
function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(dir, rel);
    if (!file.startsWith(dir + path.sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}/index.html`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

export interface RunningApp {
  page: Page;
  browser: Browser;
  /** Pushes an event to the page's subscribers, as main's webContents.send does. */
  emit(channel: keyof typeof EVENT_CHANNELS, payload: unknown): Promise<void>;
  /** Every request the page made, in order (channel names), to assert the UI used the API. */
  calls: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

export async function launchRenderer(service: ServiceLike, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<RunningApp> {
  const site = await serve(RENDERER_DIST);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: opts.colorScheme ?? 'light', timezoneId: 'Europe/Berlin', locale: 'en-GB' });
  const page = await context.newPage();
  const calls: string[] = [];
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.exposeFunction('__m2iInvoke', async (channel: string, request: unknown) => {
    calls.push(channel);
    if (!(channel in INVOKE_CHANNELS)) return { ok: false, error: { code: 'INTERNAL', message: `unknown channel ${channel}` } };
    return handleRequest(channel as InvokeChannel, service, request);
  });
  // The same shape the preload builds: one named function per channel, subscriptions with unsubscribe.
  await page.addInitScript(
    ({ invoke, events }) => {
      const w = globalThis as unknown as Record<string, unknown> & { __m2iInvoke: (c: string, r: unknown) => Promise<unknown> };
      const listeners: Record<string, Set<(p: unknown) => void>> = {};
      const api: Record<string, unknown> = {};
      for (const [channel, fn] of Object.entries(invoke)) api[fn] = (req: unknown) => w.__m2iInvoke(channel, req ?? {});
      for (const [channel, fn] of Object.entries(events)) {
        listeners[channel] = new Set();
        api[fn] = (l: (p: unknown) => void) => {
          listeners[channel].add(l);
          return () => listeners[channel].delete(l);
        };
      }
      w.__m2iEmit = (channel: string, payload: unknown) => listeners[channel]?.forEach((l) => l(payload));
      w.mailbox2ics = Object.freeze(api);
    },
    { invoke: INVOKE_CHANNELS as Record<string, string>, events: EVENT_CHANNELS as Record<string, string> },
  );
  await page.goto(site.url);
  return {
    page,
    browser,
    calls,
    pageErrors,
    emit: async (channel, payload) => {
      await page.evaluate(([c, p]) => (globalThis as unknown as { __m2iEmit: (c: string, p: unknown) => void }).__m2iEmit(c as string, p), [channel, payload] as const);
    },
    close: async () => {
      await browser.close();
      await site.close();
    },
  };
}
