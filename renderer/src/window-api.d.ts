// The API the preload puts on `window.mailbox2ics`, typed from the IPC contract. It is the
// renderer's only way to reach main: no Node, no Electron, no generic invoke.
import type { WindowApi } from '../../electron/shared/ipc-contract.ts';

declare global {
  interface Window {
    mailbox2ics: WindowApi;
  }
}

export {};
