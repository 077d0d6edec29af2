// An in-memory WindowApi for component tests: accounts, passwords, profiles and folders in maps,
// scripted answers per function, held (deferred) answers, and pushed progress events. Every request
// is checked against the IPC contract's schema, as main would. A test double only: the end-to-end
// tests use the real core.
import type { z } from 'zod';
import { ProfileSchema, type Account, type Profile } from '../../electron/shared/config-schema.ts';
import type { ErrorCode } from '../../electron/shared/errors.ts';
import { CONTRACT, INVOKE_CHANNELS, type IpcError, type IpcResult, type InvokeChannel, type ScanProgress, type ScanResult, type WindowApi } from '../../electron/shared/ipc-contract.ts';

type Fn = Exclude<keyof WindowApi, 'onScanProgress'>;
type Value<F extends Fn> = Awaited<ReturnType<WindowApi[F]>> extends IpcResult<infer T> ? T : never;
type Req<F extends Fn> = Parameters<WindowApi[F]>[0];
type Answer<F extends Fn> = IpcResult<Value<F>> | Promise<IpcResult<Value<F>>>;
type AccountData = Omit<Account, 'password'>;
type Folder = z.infer<(typeof CONTRACT)['folders:list']['response']>[number];
type Occurrences = z.infer<(typeof CONTRACT)['preview:occurrences']['response']>;
type Occurrence = Occurrences['occurrences'][number];

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, extra: Partial<IpcError> = {}): { ok: false; error: IpcError } => ({ ok: false, error: { code, message, ...extra } });

export interface Held<F extends Fn> {
  resolve(value: Value<F>): void;
  fail(error: IpcError): void;
}

const CHANNEL_OF = Object.fromEntries(Object.entries(INVOKE_CHANNELS).map(([c, f]) => [f, c])) as Record<Fn, InvokeChannel>;

export function createFakeApi(init: { keychain?: { available: boolean; reason?: string } } = {}) {
  const state = {
    keychain: init.keychain ?? { available: true },
    accounts: new Map<string, AccountData>(),
    passwords: new Map<string, string>(),
    profiles: new Map<string, Profile>(),
    folders: new Map<string, Folder[]>(),
    occurrences: [] as Occurrence[],
    /** Series the fake says it left out of every answer. */
    incomplete: [] as Occurrences['incomplete'],
    scanResult: undefined as ScanResult | undefined,
    /** Per profile: what syncStatus adds to the profile's schedule (last sync, failure, feed link…). */
    status: {} as Record<string, Partial<z.infer<(typeof CONTRACT)['sync:status']['response']>[number]>>,
    exportPath: '/home/me/calendars/team.ics',
    /** What the "user" picks in main's save dialog for a profile's calendar file (undefined: cancel). */
    chosenOutput: '/home/me/team.ics' as string | undefined,
    /** What the "user" picks in main's open dialog for a CA file (undefined: cancel). */
    chosenCaFile: '/home/me/company-ca.pem' as string | undefined,
  };
  let tokens = 0;
  const token = () => (++tokens).toString(16).padStart(32, '0');
  const calls: Array<{ fn: Fn; request: unknown }> = [];
  const scripted = new Map<Fn, Array<Answer<Fn>>>();
  const listeners = new Set<(p: ScanProgress) => void>();
  const running = new Map<string, Held<'runScan'>>();
  const scanHolds: Array<{ held: Held<'runScan'>; promise: Promise<IpcResult<ScanResult>> }> = [];

  const view = (name: string) => ({ name, account: state.accounts.get(name)!, hasPassword: state.passwords.has(name) });
  const missing = (what: string, name: string) => fail('CONFIG', `There is no ${what} named "${name}".`);

  /** What each function does when nothing is scripted: a plausible, stateful main. */
  const defaults: { [F in Fn]: (req: Req<F>) => Answer<F> } = {
    appInfo: () => ok({ version: 'test', configFile: '/home/me/.config/mailbox2ics/config.json', keychain: state.keychain }),
    listAccounts: () => ok([...state.accounts.keys()].map(view)),
    saveAccount: (r) => {
      if (r.previousName === undefined && state.accounts.has(r.name)) return fail('CONFIG', `An account named "${r.name}" already exists.`);
      if (r.previousName !== undefined && r.previousName !== r.name) state.accounts.delete(r.previousName);
      state.accounts.set(r.name, r.account as AccountData);
      return ok(view(r.name));
    },
    removeAccount: (r) => (state.accounts.delete(r.name) ? (state.passwords.delete(r.name), ok(null)) : missing('account', r.name)),
    setPassword: (r) => {
      if (!state.keychain.available) return fail('KEYCHAIN_UNAVAILABLE', state.keychain.reason ?? 'no Secret Service');
      if (!state.accounts.has(r.name)) return missing('account', r.name);
      state.passwords.set(r.name, r.password);
      return ok(null);
    },
    deletePassword: (r) => (state.passwords.delete(r.name), ok(null)),
    testConnection: (r) => ok({ folders: state.folders.get(r.name ?? '')?.length ?? 3, server: `${r.account.host}:${r.account.port ?? 993}` }),
    listFolders: (r) => (state.accounts.has(r.name) ? ok(state.folders.get(r.name) ?? []) : missing('account', r.name)),
    listProfiles: () => ok([...state.profiles].map(([name, profile]) => ({ name, profile }))),
    saveProfile: (r) => {
      const parsed = ProfileSchema.safeParse(r.profile);
      if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `  ${['profiles', r.name, ...i.path].join('.')}: ${i.message}`);
        return fail('CONFIG', `/home/me/.config/mailbox2ics/config.json has ${lines.length} problem${lines.length > 1 ? 's' : ''}:\n${lines.join('\n')}`);
      }
      if (r.previousName === undefined && state.profiles.has(r.name)) return fail('CONFIG', `A profile named "${r.name}" already exists.`);
      if (r.previousName !== undefined && r.previousName !== r.name) state.profiles.delete(r.previousName);
      state.profiles.set(r.name, parsed.data);
      return ok({ name: r.name, profile: parsed.data });
    },
    removeProfile: (r) => (state.profiles.delete(r.name) ? ok(null) : missing('profile', r.name)),
    runScan: (r) => {
      const hold = scanHolds.shift();
      if (hold) {
        running.set(r.scanId, hold.held);
        return hold.promise;
      }
      return state.scanResult ? ok({ ...state.scanResult, scanId: r.scanId, profile: r.profile }) : fail('INTERNAL', 'no scan result scripted');
    },
    cancelScan: (r) => {
      running.get(r.scanId)?.fail({ code: 'CANCELLED', message: 'The scan was cancelled.' });
      return ok(null);
    },
    previewOccurrences: (r) => ok({ occurrences: state.occurrences.filter((o) => o.start >= r.from && o.start < r.to), incomplete: state.incomplete, incompleteTotal: state.incomplete.length }),
    syncStatus: () => ok([...state.profiles].map(([name, p]) => ({ profile: name, running: false, scheduleEnabled: p.schedule.enabled, intervalMinutes: p.schedule.intervalMinutes, failures: 0, feedLink: false, ...state.status[name] }))),
    setSchedule: (r) => {
      const p = state.profiles.get(r.name);
      if (!p) return missing('profile', r.name);
      p.schedule = { ...p.schedule, enabled: r.enabled };
      return ok(null);
    },
    copyFeedLink: () => ok(null),
    exportCalendar: () => ok({ saved: true as const, path: state.exportPath }),
    chooseOutput: () => ok(state.chosenOutput === undefined ? { chosen: false as const } : { chosen: true as const, token: token(), path: state.chosenOutput }),
    chooseCaFile: () => ok(state.chosenCaFile === undefined ? { chosen: false as const } : { chosen: true as const, token: token(), path: state.chosenCaFile }),
    showInFolder: () => ok(null),
    startSignIn: (r) => ok({ user: r.username || 'alice@example.com', where: 'keychain' as const }),
    cancelSignIn: () => ok(null),
    signInStatus: () => ok({ signedIn: false }),
    signOut: () => ok({ revoked: true }),
  };

  const invoke = async <F extends Fn>(fn: F, request: Req<F>): Promise<IpcResult<Value<F>>> => {
    calls.push({ fn, request });
    const checked = CONTRACT[CHANNEL_OF[fn]].request.safeParse(request);
    if (!checked.success) return fail('USAGE', `invalid ${fn} request: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const queue = scripted.get(fn);
    const answer = queue?.length ? queue.shift()! : defaults[fn](request);
    return (await answer) as IpcResult<Value<F>>;
  };

  const api = Object.fromEntries((Object.keys(defaults) as Fn[]).map((fn) => [fn, (req: never) => invoke(fn, req)])) as unknown as WindowApi;
  api.onScanProgress = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  return {
    api,
    state,
    calls,
    /** The requests made to one function, in order. */
    requests<F extends Fn>(fn: F): Array<Req<F>> {
      return calls.filter((c) => c.fn === fn).map((c) => c.request as Req<F>);
    },
    /** The next answers of one function, used once each before the default behaviour resumes. */
    script<F extends Fn>(fn: F, ...answers: Array<Answer<F>>) {
      scripted.set(fn, [...(scripted.get(fn) ?? []), ...(answers as Array<Answer<Fn>>)]);
    },
    /** The next call of fn waits until the test resolves or fails it. */
    hold<F extends Fn>(fn: F): Held<F> {
      let settle!: (r: IpcResult<Value<F>>) => void;
      this.script(fn, new Promise<IpcResult<Value<F>>>((res) => (settle = res)));
      return { resolve: (v) => settle(ok(v)), fail: (e) => settle({ ok: false, error: e }) };
    },
    /** Holds the next scan until the test settles it; cancelScan for its id fails it with CANCELLED, as main does. */
    holdScan(): Held<'runScan'> {
      let settle!: (r: IpcResult<ScanResult>) => void;
      const promise = new Promise<IpcResult<ScanResult>>((res) => (settle = res));
      const held: Held<'runScan'> = { resolve: (v) => settle(ok(v)), fail: (e) => settle({ ok: false, error: e }) };
      scanHolds.push({ held, promise });
      return held;
    },
    emitProgress(p: ScanProgress) {
      for (const l of [...listeners]) l(p);
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}

export type FakeApi = ReturnType<typeof createFakeApi>;

/** Puts the fake where the preload puts the real API. */
export function installFakeApi(fake: FakeApi): FakeApi {
  (globalThis as unknown as { window: { mailbox2ics: WindowApi } }).window.mailbox2ics = fake.api;
  return fake;
}
