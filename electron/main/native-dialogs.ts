// Electron's implementation of the core's NativeDialogs port: the system save, open and message
// dialogs, modal to our window. Takes Electron's dialog module as an argument so tests can mock it.
import type { BrowserWindow, Dialog } from 'electron';
import type { NativeDialogs } from '../core/app/native-dialogs.ts';

type DialogLike = Pick<Dialog, 'showSaveDialog' | 'showOpenDialog' | 'showMessageBox'>;

export function electronDialogs(dialog: DialogLike, window: () => BrowserWindow | undefined): NativeDialogs {
  // Modal to the window when it is open; a dialog for a tray action has no parent.
  const parented = <T>(withWin: (w: BrowserWindow) => Promise<T>, without: () => Promise<T>) => {
    const w = window();
    return w && !w.isDestroyed() ? withWin(w) : without();
  };
  return {
    async chooseSavePath({ defaultPath }) {
      const o = { defaultPath, filters: [{ name: 'iCalendar', extensions: ['ics'] }], properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const] };
      const r = await parented((w) => dialog.showSaveDialog(w, o), () => dialog.showSaveDialog(o));
      return r.canceled ? undefined : r.filePath;
    },
    async chooseCaFile() {
      const o = { title: 'Choose the CA certificate (PEM)', filters: [{ name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] }, { name: 'All files', extensions: ['*'] }], properties: ['openFile' as const] };
      const r = await parented((w) => dialog.showOpenDialog(w, o), () => dialog.showOpenDialog(o));
      return r.canceled ? undefined : r.filePaths[0];
    },
    async confirm(q) {
      // The decline button is the default and the Escape answer: consent takes a deliberate click.
      const o = { type: 'warning' as const, title: q.title, message: q.message, detail: q.detail, buttons: [q.cancelLabel, q.confirmLabel], defaultId: 0, cancelId: 0, noLink: true };
      const r = await parented((w) => dialog.showMessageBox(w, o), () => dialog.showMessageBox(o));
      return r.response === 1;
    },
  };
}
