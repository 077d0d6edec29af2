// Everything the desktop window can ask for, one method per IPC channel, over the same core as the
// CLI. No Electron here: dialogs, shell and event delivery are injected, so Node tests (and the
// Chromium end-to-end tests) drive exactly this code. Passwords go in, never out; a saved password
// goes only to the settings it was saved for; files are only those the user picked in a native dialog.
import os from 'node:os';
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import type { Account, Profile } from '../../shared/config-schema.ts';
import type { Request, Response, ScanProgress } from '../../shared/ipc-contract.ts';
import type { InvokeChannel, INVOKE_CHANNELS } from '../../shared/ipc-channels.ts';
import { AppError } from '../errors.ts';
import { planProfile } from '../config/profile-run.ts';
import { resolveConfigPath } from '../config/config-file.ts';
import { readCaFile } from '../imap/ca-file.ts';
import { connectImap, defaultPort, disconnect, type ConnectOptions } from '../imap/connect.ts';
import { listFolders } from '../imap/folders.ts';
import type { ConnectionPool } from '../imap/connection-pool.ts';
import { InProcessEngine, type Engine } from '../engine/engine.ts';
import { credentialKey, describeServer } from '../secrets/credential-key.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import type { SyncCache } from '../store/cache.ts';
import type { ProfileStatus, RunOutcome } from '../schedule/scheduler.ts';
import { mergeSyncStatus, type WindowRun } from './sync-status.ts';
import { AccountCredentials, type Connection } from './account-credentials.ts';
import { AppConfig } from './app-config.ts';
import type { NativeDialogs } from './native-dialogs.ts';
import { checkChosenCalendar } from './chosen-calendar.ts';
import { typedPathRefused } from './window-choices.ts';
import { WindowFiles } from './window-files.ts';
import { withAccountCredential, type Credential } from '../auth/account-auth.ts';
import { oauthOf, TokenManagers } from '../auth/token-managers.ts';
import { keychainTokenStore } from '../auth/token-store.ts';
import { WindowSignIns } from './window-sign-ins.ts';

export interface AppServiceDeps {
  configFile: string;
  version: string;
  /** Opens the OS keychain; throws KEYCHAIN_UNAVAILABLE where there is none. */
  openSecrets: () => Promise<SecretStore>;
  cache?: SyncCache;
  /** Keeps scan connections open between scans (shared with the schedule in the app). */
  pool?: ConnectionPool;
  connect?: (o: ConnectOptions) => Promise<ImapFlow>;
  /** Save, open and confirmation dialogs shown by main: the only source of files and of consent. */
  dialogs: NativeDialogs;
  showItemInFolder: (file: string) => void;
  emitProgress: (p: ScanProgress) => void;
  /** Called after every change the window saves to the configuration (the schedule reloads it). */
  onConfigChanged?: () => void;
  /** Where scans, merges and expansions run (a worker thread in the app); this thread by default. */
  engine?: Engine;
  /** The schedule (the profile service in the app): its statuses and feed links; absent, only the window's own syncs are known. */
  schedule?: { statuses(): ProfileStatus[]; feedLink(profile: string): string | undefined; recordRun?(profile: string, outcome: RunOutcome): void };
  /** Main's clipboard: the feed link goes there without passing through the window. */
  writeClipboard?: (text: string) => void;
  now?: () => number;
  /** OAuth2 sign-ins, shared with the schedule in the app; one over openSecrets by default. */
  tokens?: TokenManagers;
  /** Opens the system browser (shell.openExternal in the app) for a sign-in; never a webview. */
  openExternal?: (url: string) => Promise<void>;
}

interface HeldScan {
  profile: string;
  ics: string;
  output: string;
}

type Methods = { [C in InvokeChannel as (typeof INVOKE_CHANNELS)[C]]: (req: Request<C>) => Promise<Response<C>> };

const KEEP_SCANS = 3;

type WindowAccount = Request<'accounts:save'>['account'];

export class AppService implements Methods {
  private readonly config: AppConfig;
  private readonly credentials: AccountCredentials;
  private readonly files: WindowFiles;
  private readonly running = new Map<string, AbortController>();
  private readonly runningProfile = new Map<string, string>();
  private readonly scans = new Map<string, HeldScan>();
  private readonly engine: Engine;
  /** The window's own syncs, per profile: the status strip shows them with the schedule's. */
  private readonly windowRuns = new Map<string, WindowRun>();
  readonly tokens: TokenManagers;
  private readonly signIns: WindowSignIns;

  constructor(private readonly deps: AppServiceDeps) {
    this.config = new AppConfig(deps.configFile, deps.onConfigChanged);
    this.files = new WindowFiles(deps.dialogs, deps.showItemInFolder);
    this.credentials = new AccountCredentials(deps.configFile, deps.openSecrets, deps.dialogs);
    this.engine = deps.engine ?? new InProcessEngine({ cache: deps.cache, pool: deps.pool, connect: deps.connect });
    this.tokens = deps.tokens ?? new TokenManagers(keychainTokenStore(deps.openSecrets));
    this.signIns = new WindowSignIns(this.tokens, deps.configFile, deps.openExternal);
  }

  /** A password in the keychain, or for an OAuth2 account a kept sign-in: then nothing needs asking. */
  private async hasCredential(name: string, account: Account): Promise<boolean> {
    if (!oauthOf(account)) return this.credentials.has(account);
    return this.signIns.signedIn(name, account);
  }

  /** A saved account's credential: the typed or saved password, or its OAuth2 sign-in (never prompts). */
  private withCredential<T>(name: string, account: Account, conn: Connection, typed: string | undefined, fn: (c: Credential) => Promise<T>): Promise<T> {
    return withAccountCredential({ accountName: name, account, tokens: this.tokens, configFile: this.deps.configFile, password: () => this.passwordFor(conn, typed) }, fn);
  }

  private async secrets(): Promise<SecretStore> {
    return this.deps.openSecrets();
  }

  private async passwordFor(conn: Connection, typed?: string): Promise<string> {
    const pw = typed ?? (await this.credentials.stored(conn));
    if (!pw) throw new AppError('NO_PASSWORD', `No password for ${conn.username}@${conn.host}: enter it (it is kept in the system keychain when one is available, for these connection settings only).`, { account: `${conn.username}@${conn.host}` });
    return pw;
  }

  private async withClient<T>(conn: Connection, credential: string | Credential, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
    const connect = this.deps.connect ?? connectImap;
    const client = await connect({ ...conn, ...(typeof credential === 'string' ? { password: credential } : credential) });
    try {
      return await fn(client);
    } finally {
      await disconnect(client);
    }
  }

  /**
   * The account as the window sent it, with its CA file taken from a dialog choice or kept from the
   * saved account; a CA path the window typed is refused before anything reads it.
   */
  private accountFrom(sent: WindowAccount, saved: Account | undefined, caFileChoice: string | undefined): Account {
    const account = { ...sent } as Account;
    if (caFileChoice) account.caFile = this.files.choices.path('ca-file', caFileChoice);
    else if (account.caFile !== undefined && account.caFile !== saved?.caFile) throw typedPathRefused('ca-file', account.caFile);
    return account;
  }

  async appInfo(): Promise<Response<'app:info'>> {
    let keychain: { available: boolean; reason?: string } = { available: true };
    try {
      await (await this.secrets()).get('mailbox2ics-availability-probe');
    } catch (err) {
      keychain = { available: false, reason: (err as Error).message };
    }
    return { version: this.deps.version, configFile: this.deps.configFile, keychain };
  }

  async listAccounts(): Promise<Response<'accounts:list'>> {
    const cfg = await this.config.read();
    const out = [];
    for (const [name, account] of Object.entries(cfg.accounts)) out.push({ name, account, hasPassword: await this.hasCredential(name, account) });
    return out;
  }

  async saveAccount(req: Request<'accounts:save'>): Promise<Response<'accounts:save'>> {
    // A newly chosen CA file is read now, so a bad one is reported before anything is saved.
    if (req.caFileChoice) await readCaFile(this.files.choices.path('ca-file', req.caFileChoice));
    const { before, saved, others } = await this.config.saveAccount(req.name, req.account as Account, req.previousName, (previous) => this.accountFrom(req.account, previous, req.caFileChoice));
    if (before) await this.credentials.carryOver(req.name, before, saved, others);
    if (req.previousName !== undefined) await this.signIns.follow(req.previousName, req.name, before, saved);
    return { name: req.name, account: saved, hasPassword: await this.hasCredential(req.name, saved) };
  }

  async removeAccount(req: Request<'accounts:remove'>): Promise<null> {
    const removed = await this.config.removeAccount(req.name);
    await this.signIns.removed(req.name, removed);
    await this.credentials.release(removed, Object.values((await this.config.read()).accounts));
    return null;
  }

  async setPassword(req: Request<'password:set'>): Promise<null> {
    await this.credentials.set(await this.config.account(req.name), req.password);
    return null;
  }

  async deletePassword(req: Request<'password:delete'>): Promise<null> {
    await this.credentials.delete(await this.config.account(req.name));
    return null;
  }

  async testConnection(req: Request<'connection:test'>): Promise<Response<'connection:test'>> {
    const saved = req.name === undefined ? undefined : (await this.config.read()).accounts[req.name];
    const account = this.accountFrom(req.account, saved, req.caFileChoice);
    const conn = await this.credentials.connection(account);
    const server = `${conn.host}:${conn.port ?? defaultPort(conn.security)}`;
    if (oauthOf(account)) {
      // Only a saved account has a sign-in, and only its own settings get its token.
      if (req.name === undefined || !saved || JSON.stringify(saved) !== JSON.stringify(account)) {
        throw new AppError('REFUSED', 'Save the account first: a sign-in is used only with the settings it was saved with.', { account: req.name });
      }
      const count = await this.withCredential(req.name, account, conn, undefined, (c) => this.withClient(conn, c, (cl) => listFolders(cl, false)));
      return { folders: count.length, server };
    }
    let password = req.password;
    if (!password) {
      // Without a typed password only the saved account's own settings are tested: a request with
      // any other server, port, security or trust gets no saved password.
      const own = saved && credentialKey(await this.credentials.connection(saved)) === credentialKey(conn);
      if (!own) {
        const where = saved ? `: the saved password of "${req.name}" is only sent to ${describeServer(saved)}` : '';
        throw new AppError('NO_PASSWORD', `Type the password to test ${describeServer(conn)}${where}.`, { account: req.name });
      }
    }
    password = await this.passwordFor(conn, password);
    const folders = await this.withClient(conn, password, (c) => listFolders(c, false));
    return { folders: folders.length, server };
  }

  async listFolders(req: Request<'folders:list'>): Promise<Response<'folders:list'>> {
    const account = await this.config.account(req.name);
    const conn = await this.credentials.connection(account);
    return this.withCredential(req.name, account, conn, req.password, (c) => this.withClient(conn, c, (cl) => listFolders(cl, true)));
  }

  async listProfiles(): Promise<Response<'profiles:list'>> {
    return Object.entries((await this.config.read()).profiles).map(([name, profile]) => ({ name, profile }));
  }

  async saveProfile(req: Request<'profiles:save'>): Promise<Response<'profiles:save'>> {
    const profile = req.profile as Profile;
    let chosen: string | undefined;
    if (req.outputChoice) {
      chosen = this.files.choices.path('output', req.outputChoice);
      await checkChosenCalendar(chosen);
    }
    await this.config.saveProfile(req.name, profile, req.previousName, (previous) => {
      if (chosen) return { ...profile, output: chosen };
      // Unchanged is fine (also a path from a configuration the user edited by hand); new ones come from the dialog.
      if (profile.output !== previous?.output) throw typedPathRefused('output', profile.output);
      return profile;
    });
    return { name: req.name, profile: (await this.config.read()).profiles[req.name] };
  }

  async removeProfile(req: Request<'profiles:remove'>): Promise<null> {
    await this.config.removeProfile(req.name);
    return null;
  }

  async runScan(req: Request<'scan:run'>): Promise<Response<'scan:run'>> {
    if (this.running.has(req.scanId)) throw new AppError('USAGE', `A scan with id ${req.scanId} is already running.`);
    const cfg = await this.config.read();
    if (!cfg.profiles[req.profile]) throw new AppError('CONFIG', `There is no profile named "${req.profile}".`, { profile: req.profile });
    const plan = planProfile(cfg, req.profile, this.deps.configFile);
    plan.connect = await this.credentials.connection(cfg.accounts[plan.accountName]);
    const account = cfg.accounts[plan.accountName];
    const abort = new AbortController();
    this.running.set(req.scanId, abort);
    this.runningProfile.set(req.scanId, req.profile);
    const seen: string[] = [];
    try {
      // caPem: the connection trusts exactly the CA bytes the password was found for.
      const result = await this.withCredential(plan.accountName, account, plan.connect, req.password, (c) => this.engine.sync({ config: cfg, configFile: this.deps.configFile, profile: req.profile, ...c, caPem: plan.connect.caPem, full: req.full }, {
        signal: abort.signal,
        onProgress: (p) => {
          if (!seen.includes(p.folder)) seen.push(p.folder);
          const listed = plan.folders.findIndex((f) => f.toLowerCase() === p.folder.toLowerCase());
          this.deps.emitProgress({ scanId: req.scanId, folder: p.folder, folderIndex: listed >= 0 ? listed : seen.indexOf(p.folder), folderCount: plan.folders.length, done: p.done, total: p.total, calendarParts: p.calendarParts });
        },
      }));
      // "Sync now": the profile's calendar file is replaced atomically, as a scheduled run does; a failed
      // write keeps the last good file and moves nothing forward.
      await writeFileAtomic(plan.output, result.ics);
      // Only a finished sync moves "since the last sync" forward; a cancelled or failed one changes nothing.
      const { events, removed, firstSync } = await this.engine.preview({ scope: `profile:${req.profile}`, result: { items: result.items, ics: result.ics }, commit: true });
      this.scans.set(req.scanId, { profile: req.profile, ics: result.ics, output: plan.output });
      while (this.scans.size > KEEP_SCANS) this.scans.delete(this.scans.keys().next().value!);
      const r = result.report;
      const summary = `${r.eventsOut} events, ${r.skipped.length} skipped`;
      this.windowRuns.set(req.profile, { at: this.now(), events: r.eventsOut, summary });
      // The tray's status line and the next scheduled run count from this sync too.
      this.deps.schedule?.recordRun?.(req.profile, { ok: true, summary });
      return {
        scanId: req.scanId,
        profile: req.profile,
        firstSync,
        written: plan.output,
        events,
        skipped: r.skipped.map((s) => ({ folder: s.folder, uid: s.uid, subject: s.subject, section: s.section, reason: s.reason })),
        warnings: r.warnings.map((w) => ({ folder: w.folder, uid: w.uid, message: w.message })),
        summary: { messages: r.messages, calendarParts: r.calendarParts, eventsOut: r.eventsOut, bytesDownloaded: r.bytesDownloaded, wallTimeMs: r.wallTimeMs, removedSinceLastSync: removed },
      };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'CANCELLED') {
        this.windowRuns.set(req.profile, { ...this.windowRuns.get(req.profile), failure: { at: this.now(), message: (err as Error).message } });
        this.deps.schedule?.recordRun?.(req.profile, { ok: false, error: (err as Error).message });
      }
      throw err;
    } finally {
      this.running.delete(req.scanId);
      this.runningProfile.delete(req.scanId);
    }
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  async syncStatus(): Promise<Response<'sync:status'>> {
    const cfg = await this.config.read();
    const scheduled = this.deps.schedule?.statuses() ?? [];
    const runningProfiles = new Set([...this.running.keys()].map((id) => this.runningProfile.get(id)));
    return Object.entries(cfg.profiles).map(([name, p]) =>
      mergeSyncStatus(name, p.schedule, scheduled.find((s) => s.name === name), this.windowRuns.get(name), runningProfiles.has(name), !!this.deps.schedule?.feedLink(name)),
    );
  }

  async setSchedule(req: Request<'profiles:set-schedule'>): Promise<null> {
    await this.config.update((cfg) => {
      const p = cfg.profiles[req.name];
      if (!p) throw new AppError('CONFIG', `There is no profile named "${req.name}".`, { profile: req.name });
      p.schedule = { ...p.schedule, enabled: req.enabled };
    });
    return null;
  }

  async copyFeedLink(req: Request<'feed:copy-link'>): Promise<null> {
    const link = this.deps.schedule?.feedLink(req.profile);
    if (!link || !this.deps.writeClipboard) throw new AppError('CONFIG', `The local feed does not serve "${req.profile}": turn the feed on in the configuration first.`, { profile: req.profile });
    this.deps.writeClipboard(link);
    return null;
  }

  /** The answer holds who signed in, never a token. */
  async startSignIn(req: Request<'signin:start'>): Promise<Response<'signin:start'>> {
    return this.signIns.start(req, (await this.config.read()).accounts[req.name]);
  }

  async cancelSignIn(req: Request<'signin:cancel'>): Promise<null> {
    this.signIns.cancel(req.name);
    return null;
  }

  async signInStatus(req: Request<'signin:status'>): Promise<Response<'signin:status'>> {
    return this.signIns.status(req.name, (await this.config.read()).accounts[req.name]);
  }

  async signOut(req: Request<'signin:sign-out'>): Promise<Response<'signin:sign-out'>> {
    return this.signIns.signOut(req.name, (await this.config.read()).accounts[req.name]);
  }

  async cancelScan(req: Request<'scan:cancel'>): Promise<null> {
    this.running.get(req.scanId)?.abort();
    return null;
  }

  private held(scanId: string): HeldScan {
    const s = this.scans.get(scanId);
    if (!s) throw new AppError('USAGE', 'That scan result is no longer available; scan again.', { scanId });
    return s;
  }

  async previewOccurrences(req: Request<'preview:occurrences'>): Promise<Response<'preview:occurrences'>> {
    const from = new Date(req.from);
    const to = new Date(req.to);
    if (!(from < to) || to.getTime() - from.getTime() > 400 * 86_400_000) throw new AppError('USAGE', 'The preview range must run forwards and span at most 400 days.');
    return this.engine.occurrences(this.held(req.scanId).ics, from, to);
  }

  async exportCalendar(req: Request<'export:save'>): Promise<Response<'export:save'>> {
    const scan = this.held(req.scanId);
    // A copy: the profile keeps writing its own calendar file.
    return this.files.exportCopy(scan.output, scan.ics);
  }

  async chooseOutput(req: Request<'dialog:choose-output'>): Promise<Response<'dialog:choose-output'>> {
    const current = req.profile === undefined ? undefined : (await this.config.read()).profiles[req.profile];
    return this.files.chooseOutput(current ? resolveConfigPath(current.output, this.deps.configFile) : path.join(os.homedir(), `${req.profile ?? 'calendar'}.ics`));
  }

  async chooseCaFile(): Promise<Response<'dialog:choose-ca-file'>> {
    return this.files.chooseCaFile();
  }

  async showInFolder(req: Request<'shell:show-in-folder'>): Promise<null> {
    this.files.show(req.path, Object.keys((await this.config.read()).profiles).length ? await this.profileOutputs() : []);
    return null;
  }

  private async profileOutputs(): Promise<string[]> {
    const cfg = await this.config.read();
    return Object.keys(cfg.profiles).map((n) => planProfile(cfg, n, this.deps.configFile).output);
  }
}
