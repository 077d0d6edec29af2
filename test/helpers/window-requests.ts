// The main process as a hostile window meets it: a real AppService (memory keychain, scripted native
// dialogs, a config in a temp dir) reached only through handleRequest, exactly as ipcMain.handle
// calls it with whatever the window sent. Test-only.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppService, type AppServiceDeps } from '../../electron/core/app/app-service.ts';
import type { SecretStore } from '../../electron/core/secrets/secret-store.ts';
import { handleRequest, type ServiceLike } from '../../electron/main/ipc-wiring.ts';
import type { InvokeChannel, IpcResult } from '../../electron/shared/ipc-contract.ts';
import { scriptedDialogs, type ScriptedDialogs } from './scripted-dialogs.ts';

export interface WindowUnderTest {
  dir: string;
  configFile: string;
  service: AppService;
  /** The keychain: account key → password. */
  secrets: Map<string, string>;
  dialogs: ScriptedDialogs;
  /** Files main asked the shell to show. */
  shown: string[];
  /** One IPC request, as the window sends it (unvalidated: the contract's schemas apply). */
  send(channel: InvokeChannel, request: unknown): Promise<IpcResult<unknown>>;
  /** send, expecting ok:true; returns the value. */
  ok<T = unknown>(channel: InvokeChannel, request: unknown): Promise<T>;
}

export function windowUnderTest(extra: Partial<AppServiceDeps> = {}): WindowUnderTest {
  const dir = mkdtempSync(path.join(tmpdir(), 'm2i-window-'));
  const configFile = path.join(dir, 'config', 'config.json');
  const secrets = new Map<string, string>();
  const store: SecretStore = { get: async (k) => secrets.get(k) ?? null, set: async (k, v) => void secrets.set(k, v), delete: async (k) => secrets.delete(k) };
  const dialogs = scriptedDialogs();
  const shown: string[] = [];
  const service = new AppService({
    configFile, version: 'security-test', openSecrets: async () => store, dialogs: dialogs.dialogs,
    showItemInFolder: (f) => shown.push(f), emitProgress: () => {}, ...extra,
  });
  const send = (channel: InvokeChannel, request: unknown) => handleRequest(channel, service as unknown as ServiceLike, request);
  return {
    dir, configFile, service, secrets, dialogs, shown, send,
    async ok<T>(channel: InvokeChannel, request: unknown) {
      const r = await send(channel, request);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    },
  };
}
