// The one hardened window: isolated, sandboxed, no Node in the page, strict CSP, no navigation,
// no new windows, no permissions. Takes Electron's classes as arguments so tests can mock them.
import type { BrowserWindow as BW, BrowserWindowConstructorOptions, Rectangle, Session, WebContents } from 'electron';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, MIN_HEIGHT, MIN_WIDTH } from '../core/desktop/window-state.ts';

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `bounds`: where the window was last (see window-state-keeper.ts); without it, the default size, centred. */
export function windowOptions(preload: string, bounds?: Rectangle): BrowserWindowConstructorOptions {
  return {
    width: DEFAULT_WIDTH,
    height: DEFAULT_HEIGHT,
    ...bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'mailbox2ics',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  };
}

/** Only https links leave the app, and only to the system browser. */
export function isSafeExternal(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

export function hardenContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternal(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function createMainWindow(
  BrowserWindow: typeof BW,
  opts: { preload: string; indexHtml: string; openExternal: (url: string) => void; bounds?: Rectangle; maximized?: boolean },
): BW {
  const win = new BrowserWindow(windowOptions(opts.preload, opts.bounds));
  hardenSession(win.webContents.session);
  hardenContents(win.webContents, opts.openExternal);
  // maximize() shows a hidden window at once (a white flash); done when the page is ready instead.
  win.once('ready-to-show', () => {
    if (opts.maximized) win.maximize();
    win.show();
  });
  void win.loadFile(opts.indexHtml);
  return win;
}

/** A sender is ours when it is the main frame of our window showing our own page. */
export function isOurFrame(win: BW | undefined, frame: unknown, indexUrl: string): boolean {
  if (!win || win.isDestroyed()) return false;
  const main = win.webContents.mainFrame;
  return frame === main && typeof main.url === 'string' && main.url.split('#')[0] === indexUrl;
}
