// The Electron entry point: a thin composition root. It owns the single-instance lock, builds the
// core AppService and the profile service (schedule + feed) with Electron's dialog, shell, keychain,
// tray and notifications, wires the IPC contract and opens the one hardened window. Closing the
// window keeps the app in the tray. All behaviour lives in electron/core, tested under plain Node.
// Started with --mailbox2ics-cli (the packaged command line) it runs the headless command instead.
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, nativeTheme, net, Notification, powerMonitor, screen, shell, Tray } from 'electron';
import { homedir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from './cli/main.ts';
import { AppService } from './core/app/app-service.ts';
import { defaultConfigPath } from './core/config/config-file.ts';
import { keytarStore } from './core/secrets/secret-store.ts';
import { defaultCachePath, IDLE_FEED_WRITE_MS } from './core/store/cache.ts';
import { WorkerEngine } from './core/engine/worker-engine.ts';
import { startProfileService, type RunningService } from './core/sync/profile-service.ts';
import { aboutActions, aboutPanelOptions, appMenuTemplate } from './main/app-menu.ts';
import { cliArgsFrom, runCliMode } from './main/cli-mode.ts';
import { installE2eHooks } from './main/e2e-hooks.ts';
import { registerIpc, type ServiceLike } from './main/ipc-wiring.ts';
import { electronDialogs } from './main/native-dialogs.ts';
import { loginItemFor, startsHidden } from './main/login-item.ts';
import { claimSingleInstance, revealWindow } from './main/single-instance.ts';
import { followTheme, trayImage } from './main/tray-icon.ts';
import { initialWindowState, saverFor, trackWindowState } from './main/window-state-keeper.ts';
import { notificationFor, tooltip, trayMenuTemplate, type TrayState } from './main/tray-menu.ts';
import { createMainWindow, isOurFrame, isSafeExternal } from './main/window.ts';

// Built layout (electron/build.mjs): dist-electron/main.js, dist-electron/preload.cjs, renderer/dist/index.html.
const root = path.resolve(import.meta.dirname, '..');
const indexHtml = path.join(root, 'renderer', 'dist', 'index.html');
const preload = path.join(import.meta.dirname, 'preload.cjs');
const trayDir = path.join(root, 'resources', 'tray');
const cliArgs = cliArgsFrom(process.argv);
// Registered with the lock, before anything can fail: a second start always brings the window back (or,
// while starting, opens it once ready) instead of doing nothing behind the first process's lock.
let openWindow: (() => void) | undefined;

if (cliArgs) {
  // The command line of the package (packaging/bin/): no lock, no window, no tray; exits with the command's code.
  void runCliMode({ app, args: cliArgs, runCli: (args) => runCli(args, { version: app.getVersion() }), stdout: process.stdout, stderr: process.stderr });
} else if (!claimSingleInstance(app, () => openWindow?.())) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  let tray: Tray | undefined;
  let quitting = false;
  let service: RunningService | undefined;
  const configFile = defaultConfigPath();
  const openExternal = (url: string) => {
    if (isSafeExternal(url)) void shell.openExternal(url);
  };
  let trayMenu: Menu | undefined;
  const loginItem = loginItemFor({ platform: process.platform, app, env: process.env, home: homedir(), execPath: process.execPath });
  installE2eHooks(process.env, { trayMenu: () => trayMenu, window: () => win });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(async () => {
    // Scans, merges and expansions run in a worker thread that owns the cache and the kept-open IMAP
    // connections, so the window, the tray and the feed answer while a sync runs. The cache keeps the
    // last merged feeds in memory and stores them when idle or on quit. A cache it cannot open
    // (corrupt, newer, unwritable) is moved aside and the app still starts; the user is told.
    const engine = new WorkerEngine({
      cacheFile: defaultCachePath(),
      deferFeedWrites: IDLE_FEED_WRITE_MS,
      log: (l) => console.error(`mailbox2ics: ${l}`),
      onNotice: (notice) => {
        console.error(`mailbox2ics: ${notice}`);
        void dialog.showMessageBox({ type: 'warning', message: 'The sync cache could not be opened', detail: notice });
      },
    });
    const appService = new AppService({
      engine,
      configFile,
      version: app.getVersion(),
      openSecrets: () => keytarStore(),
      // Files and consent come only from these system dialogs, never from what the window sends.
      dialogs: electronDialogs(dialog, () => win),
      showItemInFolder: (file) => shell.showItemInFolder(file),
      // OAuth2 sign-in happens in the system browser (RFC 8252), never in a webview.
      openExternal: (url) => shell.openExternal(url),
      emitProgress: (p) => win?.webContents.send('scan:progress', p),
      // The schedule and the feed follow what the window saves, at once.
      onConfigChanged: () => void service?.reload().then(refreshTray),
      // The tray's information in the window too: the schedule's runs and the feed links (which stay in main).
      schedule: { statuses: () => service?.scheduler.statuses() ?? [], feedLink: (p) => service?.urls[p]?.webcal, recordRun: (p, o) => service?.scheduler.recordRun(p, o) },
      writeClipboard: (text) => clipboard.writeText(text),
    });
    const indexUrl = pathToFileURL(indexHtml).href;
    registerIpc(ipcMain, appService as unknown as ServiceLike, (frame) => isOurFrame(win, frame, indexUrl));

    openWindow = () => {
      if (!win || win.isDestroyed()) {
        // Where the window was last, fitted onto the displays connected now.
        const placed = initialWindowState(app.getPath('userData'), screen);
        win = createMainWindow(BrowserWindow, { preload, indexHtml, openExternal, bounds: placed.bounds, maximized: placed.maximized });
        trackWindowState(win, saverFor(app.getPath('userData')), { onError: (err) => console.error(`mailbox2ics: the window's size and place were not saved: ${err.message}`) });
        // Closing the window keeps the app (schedule, feed) running in the tray.
        win.on('close', (e) => {
          if (!quitting && tray) {
            e.preventDefault();
            win?.hide();
          }
        });
      } else {
        revealWindow(win, app);
      }
    };
    const quit = () => {
      quitting = true;
      app.quit();
    };
    const syncAll = () => service?.scheduler.statuses().forEach((s) => void service!.scheduler.runNow(s.name));
    const versions = { app: app.getVersion(), electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node };
    if (process.platform === 'darwin') app.setAboutPanelOptions(aboutPanelOptions(versions));
    const about = aboutActions({ platform: process.platform, arch: process.arch, versions, showAboutPanel: () => app.showAboutPanel(), showMessageBox: (o) => dialog.showMessageBox(o), writeClipboard: (t) => clipboard.writeText(t) });
    const menuActions = { ...about, syncNow: syncAll, showConfigFile: () => shell.showItemInFolder(configFile), quit };
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, menuActions, { devTools: !app.isPackaged })));

    // The schedule and the feed: the same service `mailbox2ics serve` runs headless.
    function refreshTray(): void {
      if (!tray || !service) return;
      const state: TrayState = {
        statuses: service.scheduler.statuses(),
        paused: service.scheduler.isPaused(),
        openAtLogin: loginItem.get(),
        feedLinks: Object.fromEntries(Object.entries(service.urls).map(([n, u]) => [n, u.webcal])),
      };
      tray.setToolTip(tooltip(state));
      tray.setContextMenu(
        (trayMenu = Menu.buildFromTemplate(
          trayMenuTemplate(state, {
            syncNow: (p) => (p ? [p] : state.statuses.map((s) => s.name)).forEach((n) => void service!.scheduler.runNow(n)),
            open: () => openWindow?.(),
            setPaused: (on) => (on ? service!.scheduler.pause() : service!.scheduler.resume()),
            setOpenAtLogin: (on) => {
              try {
                loginItem.set(on);
              } catch (err) {
                dialog.showErrorBox('mailbox2ics: Start at login', (err as Error).message);
              }
              refreshTray();
            },
            copy: (text) => clipboard.writeText(text),
            regenerateFeedLink: (p) => void service!.regenerateToken(p).then(refreshTray, (err: Error) => dialog.showErrorBox('mailbox2ics', err.message)),
            quit,
          }),
        )),
      );
    }
    try {
      // No or invalid configuration yet: the service starts with no profiles and picks up what the
      // window (or an editor) saves later, so a first-run setup gets its schedule and feed at once.
      service = await startProfileService({
        configFile,
        engine,
        openSecrets: () => keytarStore(),
        // One sign-in per account for the window and the schedule: one refresh in flight, one memory fallback.
        tokens: appService.tokens,
        env: process.env,
        log: (line) => console.error(line),
        watchConfig: true,
        tolerateInvalidConfig: true,
        onTransition: (t) => {
          const n = notificationFor(t, service?.config().profiles[t.profile]?.schedule.notifyChanges ?? false);
          if (n && Notification.isSupported()) new Notification(n).show();
          refreshTray();
        },
      });
    } catch (err) {
      // E.g. the feed port is taken: the window still opens; the tray says nothing is scheduled.
      console.error(`mailbox2ics: the schedule is not running: ${(err as Error).message}`);
    }
    const trayLook = { platform: process.platform, dir: trayDir, theme: nativeTheme, createFromPath: (f: string) => nativeImage.createFromPath(f) };
    tray = new Tray(trayImage(trayLook));
    followTheme(tray, trayLook);
    tray.on('click', () => openWindow?.());
    refreshTray();
    setInterval(refreshTray, 30_000).unref();

    // Catch up at once after sleep, and when the network comes back.
    powerMonitor.on('resume', () => service?.scheduler.wake());
    let online = net.isOnline();
    setInterval(() => {
      const now = net.isOnline();
      if (now && !online) service?.scheduler.wake();
      online = now;
    }, 15_000).unref();

    // Started by the login entry: only the tray; the window opens from it (or by starting the app again).
    if (!startsHidden(process.argv, process.platform, app)) openWindow();
    app.on('before-quit', () => {
      quitting = true;
    });
    let closing = false;
    app.on('will-quit', (e) => {
      if (closing) return;
      closing = true;
      e.preventDefault();
      const s = service;
      service = undefined;
      // Running syncs end, the cache stores what it holds, then the app quits.
      void (s ? s.stop() : Promise.resolve()).then(() => engine.close()).finally(() => app.quit());
    });
  }).catch((err: Error) => {
    // Never a process that holds the single-instance lock with no window and no tray.
    dialog.showErrorBox('mailbox2ics could not start', err.message);
    app.exit(1);
  });
}
