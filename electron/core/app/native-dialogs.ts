// The native dialogs main shows on the window's behalf, as a port: Electron's implementation is in
// electron/main/native-dialogs.ts, tests script their own. Only main decides what a dialog says.

export interface ConfirmQuestion {
  title: string;
  message: string;
  detail: string;
  /** The affirmative button; the other one (the default) declines. */
  confirmLabel: string;
  cancelLabel: string;
}

export interface NativeDialogs {
  /** The system's save dialog for a calendar file; undefined when cancelled. */
  chooseSavePath(o: { defaultPath: string }): Promise<string | undefined>;
  /** The system's open dialog for a PEM certificate file; undefined when cancelled. */
  chooseCaFile(): Promise<string | undefined>;
  /** A question only a person at the machine can answer; true only for the affirmative button. */
  confirm(q: ConfirmQuestion): Promise<boolean>;
}
