// The Electron adapter under Node with `electron` mocked: window options, navigation/new-window/
// permission denial, the IPC sender check and validation, and contract coverage (every channel has
// exactly one main handler, one service method and one preload function).
import { describe, expect, it, vi } from 'vitest';
import { CONTRACT, EVENTS } from '../../electron/shared/ipc-contract.ts';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../electron/shared/ipc-channels.ts';
import { handleRequest, registerIpc, toIpcError, type ServiceLike } from '../../electron/main/ipc-wiring.ts';
import { CSP, createMainWindow, isOurFrame, isSafeExternal, windowOptions } from '../../electron/main/window.ts';
import { AppService } from '../../electron/core/app/app-service.ts';
import { AppError } from '../../electron/core/errors.ts';

vi.mock('electron', () => ({ contextBridge: undefined, ipcRenderer: undefined }));
const { buildWindowApi } = await import('../../electron/preload/index.ts');

/** A service whose every method records its request and answers from a table. */
function fakeService(answers: Partial<Record<string, unknown>> = {}): ServiceLike & { calls: Array<[string, unknown]> } {
  const calls: Array<[string, unknown]> = [];
  const svc: Record<string, unknown> = { calls };
  for (const fn of Object.values(INVOKE_CHANNELS)) {
    svc[fn] = async (req: unknown) => {
      calls.push([fn, req]);
      const a = answers[fn];
      if (a instanceof Error) throw a;
      return a;
    };
  }
  return svc as ServiceLike & { calls: Array<[string, unknown]> };
}

function mockIpcMain() {
  const handlers = new Map<string, (event: { senderFrame: unknown }, ...args: unknown[]) => unknown>();
  return {
    handlers,
    handle: vi.fn((ch: string, fn: (event: { senderFrame: unknown }, ...args: unknown[]) => unknown) => {
      if (handlers.has(ch)) throw new Error(`second handler for ${ch}`);
      handlers.set(ch, fn);
    }),
    removeHandler: vi.fn((ch: string) => handlers.delete(ch)),
  };
}

describe('contract coverage', () => {
  it('every channel has a schema pair, exactly one handler, one service method and one preload function', () => {
    const channels = Object.keys(INVOKE_CHANNELS);
    expect(Object.keys(CONTRACT).sort()).toEqual([...channels].sort());
    expect(Object.keys(EVENTS).sort()).toEqual(Object.keys(EVENT_CHANNELS).sort());
    const ipc = mockIpcMain();
    registerIpc(ipc, fakeService(), () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual([...channels].sort());
    expect(ipc.handle).toHaveBeenCalledTimes(channels.length);
    // The real service implements every method (one per channel, nothing else reachable).
    for (const fn of Object.values(INVOKE_CHANNELS)) expect(typeof (AppService.prototype as unknown as Record<string, unknown>)[fn]).toBe('function');
    const api = buildWindowApi({ invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() } as never);
    expect(Object.keys(api).sort()).toEqual([...Object.values(INVOKE_CHANNELS), ...Object.values(EVENT_CHANNELS)].sort());
    expect(new Set(Object.values(INVOKE_CHANNELS)).size).toBe(channels.length);
  });

  it('the preload invokes the named channel and subscriptions strip the event and unsubscribe', async () => {
    const listeners = new Map<string, (...a: unknown[]) => void>();
    const ipc = {
      invoke: vi.fn(async (ch: string, req: unknown) => ({ ok: true, value: [ch, req] })),
      on: vi.fn((ch: string, fn: (...a: unknown[]) => void) => listeners.set(ch, fn)),
      removeListener: vi.fn((ch: string) => listeners.delete(ch)),
    };
    const api = buildWindowApi(ipc as never) as Record<string, (x?: unknown) => unknown>;
    expect(await api.listAccounts()).toEqual({ ok: true, value: ['accounts:list', {}] });
    expect(Object.isFrozen(api)).toBe(true);
    const got: unknown[] = [];
    const off = api.onScanProgress((p: unknown) => got.push(p)) as () => void;
    listeners.get('scan:progress')!({ sender: 'secret electron event' }, { done: 1 });
    expect(got).toEqual([{ done: 1 }]);
    off();
    expect(listeners.has('scan:progress')).toBe(false);
  });
});

describe('IPC handling', () => {
  it('refuses a sender that is not our main frame, without calling the service', async () => {
    const ipc = mockIpcMain();
    const svc = fakeService({ listAccounts: [] });
    const ours = { id: 'main' };
    registerIpc(ipc, svc, (f) => f === ours);
    const refused = await ipc.handlers.get('accounts:list')!({ senderFrame: { id: 'iframe' } }, {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('did not come from the mailbox2ics window') } });
    expect(svc.calls).toEqual([]);
    expect(await ipc.handlers.get('accounts:list')!({ senderFrame: ours }, {})).toEqual({ ok: true, value: [] });
  });

  it('validates requests: bad input never reaches the service, and the message names the field', async () => {
    const svc = fakeService();
    const r = await handleRequest('password:set', svc, { name: 'work', password: '', extra: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('USAGE');
      expect(r.error.message).toMatch(/password/);
    }
    const name = await handleRequest('accounts:remove', svc, { name: '../../etc' });
    expect(name.ok).toBe(false);
    const pw = await handleRequest('accounts:save', svc, { name: 'w', account: { host: 'h', username: 'u', password: 'nope' } });
    expect(pw.ok).toBe(false);
    expect(svc.calls).toEqual([]);
  });

  it('validates responses: a service answer outside the contract becomes INTERNAL, never leaks through', async () => {
    const svc = fakeService({ listAccounts: [{ name: 'w', account: { host: 'h', username: 'u', security: 'tls' }, hasPassword: true, password: 'leak' }] });
    const r = await handleRequest('accounts:list', svc, {});
    // zod objects strip unknown keys: the extra field does not cross.
    expect(r).toEqual({ ok: true, value: [{ name: 'w', account: { host: 'h', username: 'u', security: 'tls' }, hasPassword: true }] });
    const bad = await handleRequest('accounts:list', fakeService({ listAccounts: 'nonsense' }), {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('errors become {code, message} (with the certificate for an untrusted server)', async () => {
    const cert = { subject: 'CN=x', issuer: 'CN=ca', fingerprint256: 'AB', validFrom: 'a', validTo: 'b', selfSigned: false };
    const svc = fakeService({ testConnection: new AppError('TLS_UNTRUSTED', 'not trusted', { certificate: cert }) });
    const r = await handleRequest('connection:test', svc, { account: { host: 'h', username: 'u' } });
    expect(r).toEqual({ ok: false, error: { code: 'TLS_UNTRUSTED', message: 'not trusted', certificate: cert } });
    expect(toIpcError(new TypeError('boom'))).toEqual({ code: 'INTERNAL', message: 'Unexpected error: boom' });
  });
});

describe('window', () => {
  it('is isolated, sandboxed, without Node or webviews', () => {
    const w = windowOptions('/app/preload.cjs').webPreferences!;
    expect(w).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true, preload: '/app/preload.cjs' });
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain('unsafe');
  });

  it('denies navigation, new windows and permissions; only https goes to the system browser', () => {
    const on = new Map<string, (e: { preventDefault: () => void }) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    let permission: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let headers: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
    const session = {
      setPermissionRequestHandler: (fn: typeof permission) => (permission = fn),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: (fn: typeof headers) => (headers = fn) },
    };
    const webContents = { session, on: (ev: string, fn: (e: { preventDefault: () => void }) => void) => on.set(ev, fn), setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn), mainFrame: { url: 'file:///app/index.html' } };
    const loadFile = vi.fn(async () => {});
    class FakeWindow {
      webContents = webContents;
      constructor(public options: unknown) {}
      once = vi.fn();
      loadFile = loadFile;
      isDestroyed = () => false;
    }
    const opened: string[] = [];
    const win = createMainWindow(FakeWindow as never, { preload: '/p.cjs', indexHtml: '/app/index.html', openExternal: (u) => opened.push(u) });
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      on.get(ev)!(e);
      expect(e.preventDefault).toHaveBeenCalled();
    }
    expect(openHandler!({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/help']);
    let granted: boolean | undefined;
    permission!(null, 'notifications', (ok) => (granted = ok));
    expect(granted).toBe(false);
    let resp: unknown;
    headers!({ responseHeaders: {} }, (r) => (resp = r));
    expect(resp).toEqual({ responseHeaders: { 'Content-Security-Policy': [CSP] } });
    expect(loadFile).toHaveBeenCalledWith('/app/index.html');
    expect(isOurFrame(win, webContents.mainFrame, 'file:///app/index.html')).toBe(true);
    expect(isOurFrame(win, { url: 'file:///app/index.html' }, 'file:///app/index.html')).toBe(false);
    expect(isSafeExternal('http://example.com')).toBe(false);
  });
});
