// The preload: builds window.mailbox2ics from the contract's channel names, one named function per
// channel, and event subscriptions that return an unsubscribe. Nothing else crosses into the page.
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../shared/ipc-channels.ts';

export function buildWindowApi(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const [channel, fn] of Object.entries(INVOKE_CHANNELS)) {
    api[fn] = (request: unknown) => ipc.invoke(channel, request ?? {});
  }
  for (const [channel, fn] of Object.entries(EVENT_CHANNELS)) {
    api[fn] = (listener: (payload: unknown) => void) => {
      // The Electron event object (with its sender) never reaches the page.
      const handler = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, handler);
      return () => {
        ipc.removeListener(channel, handler);
      };
    };
  }
  return Object.freeze(api);
}

if (contextBridge) contextBridge.exposeInMainWorld('mailbox2ics', buildWindowApi(ipcRenderer));
