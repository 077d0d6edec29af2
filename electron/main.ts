// The Electron entry point: a thin composition root. It owns the single-instance lock, builds the
// core AppService with Electron's dialog/shell/keychain, wires the IPC contract and opens the one
// hardened window. All behaviour lives in electron/core and is tested under plain Node.
import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppService } from './core/app/app-service.ts';
import { defaultConfigPath } from './core/config/config-file.ts';
import { keytarStore } from './core/secrets/secret-store.ts';
import { defaultCachePath, SyncCache } from './core/store/cache.ts';
import { registerIpc, type ServiceLike } from './main/ipc-wiring.ts';
import { createMainWindow, isOurFrame, isSafeExternal } from './main/window.ts';

// Built layout (electron/build.mjs): dist-electron/main.js, dist-electron/preload.cjs, renderer/dist/index.html.
const root = path.resolve(import.meta.dirname, '..');
const indexHtml = path.join(root, 'renderer', 'dist', 'index.html');
const preload = path.join(import.meta.dirname, 'preload.cjs');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  const openExternal = (url: string) => {
    if (isSafeExternal(url)) void shell.openExternal(url);
  };
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  void app.whenReady().then(() => {
    const cache = new SyncCache(defaultCachePath());
    const service = new AppService({
      configFile: defaultConfigPath(),
      version: app.getVersion(),
      openSecrets: () => keytarStore(),
      cache,
      chooseSavePath: async (suggested) => {
        const r = await dialog.showSaveDialog(win!, { defaultPath: suggested, filters: [{ name: 'iCalendar', extensions: ['ics'] }] });
        return r.canceled ? undefined : r.filePath;
      },
      showItemInFolder: (file) => shell.showItemInFolder(file),
      emitProgress: (p) => win?.webContents.send('scan:progress', p),
    });
    const indexUrl = pathToFileURL(indexHtml).href;
    registerIpc(ipcMain, service as unknown as ServiceLike, (frame) => isOurFrame(win, frame, indexUrl));
    win = createMainWindow(BrowserWindow, { preload, indexHtml, openExternal });
    app.on('window-all-closed', () => {
      cache.close();
      app.quit();
    });
  });
}
