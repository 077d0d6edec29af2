// Everything the desktop window can ask for, one method per IPC channel, over the same core as the
// CLI. No Electron here: dialogs, shell and event delivery are injected, so Node tests (and the
// Chromium end-to-end tests) drive exactly this code. Passwords go in, never out.
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import type { Account } from '../../shared/config-schema.ts';
import type { Request, Response, ScanProgress } from '../../shared/ipc-contract.ts';
import type { InvokeChannel, INVOKE_CHANNELS } from '../../shared/ipc-channels.ts';
import { AppError } from '../errors.ts';
import { planProfile, connectionOf } from '../config/profile-run.ts';
import { connectImap, defaultPort, disconnect, type ConnectOptions } from '../imap/connect.ts';
import { listFolders } from '../imap/folders.ts';
import type { ConnectionPool } from '../imap/connection-pool.ts';
import { InProcessEngine, type Engine } from '../engine/engine.ts';
import { accountKey, type SecretStore } from '../secrets/secret-store.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import type { SyncCache } from '../store/cache.ts';
import { AppConfig } from './app-config.ts';

export interface AppServiceDeps {
  configFile: string;
  version: string;
  /** Opens the OS keychain; throws KEYCHAIN_UNAVAILABLE where there is none. */
  openSecrets: () => Promise<SecretStore>;
  cache?: SyncCache;
  /** Keeps scan connections open between scans (shared with the schedule in the app). */
  pool?: ConnectionPool;
  connect?: (o: ConnectOptions) => Promise<ImapFlow>;
  /** The native save dialog; undefined when the user cancels. */
  chooseSavePath: (suggested: string) => Promise<string | undefined>;
  showItemInFolder: (file: string) => void;
  emitProgress: (p: ScanProgress) => void;
  /** Called after every change the window saves to the configuration (the schedule reloads it). */
  onConfigChanged?: () => void;
  /** Where scans, merges and expansions run (a worker thread in the app); this thread by default. */
  engine?: Engine;
}

interface HeldScan {
  profile: string;
  ics: string;
  output: string;
}

type Methods = { [C in InvokeChannel as (typeof INVOKE_CHANNELS)[C]]: (req: Request<C>) => Promise<Response<C>> };

const KEEP_SCANS = 3;

export class AppService implements Methods {
  private readonly config: AppConfig;
  private readonly running = new Map<string, AbortController>();
  private readonly scans = new Map<string, HeldScan>();
  private readonly written = new Set<string>();
  private readonly engine: Engine;

  constructor(private readonly deps: AppServiceDeps) {
    this.config = new AppConfig(deps.configFile, deps.onConfigChanged);
    this.engine = deps.engine ?? new InProcessEngine({ cache: deps.cache, pool: deps.pool, connect: deps.connect });
  }

  private async secrets(): Promise<SecretStore> {
    return this.deps.openSecrets();
  }

  private async storedPassword(a: Pick<Account, 'username' | 'host'>): Promise<string | undefined> {
    try {
      return (await (await this.secrets()).get(accountKey(a.username, a.host))) ?? undefined;
    } catch (err) {
      if (err instanceof AppError && err.code === 'KEYCHAIN_UNAVAILABLE') return undefined;
      throw err;
    }
  }

  private async passwordFor(a: Account, typed?: string): Promise<string> {
    const pw = typed ?? (await this.storedPassword(a));
    if (!pw) throw new AppError('NO_PASSWORD', `No password for ${accountKey(a.username, a.host)}: enter it (it is kept in the system keychain when one is available).`, { account: accountKey(a.username, a.host) });
    return pw;
  }

  private async withClient<T>(account: Account, password: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
    const connect = this.deps.connect ?? connectImap;
    const client = await connect({ ...connectionOf(account, this.deps.configFile), password });
    try {
      return await fn(client);
    } finally {
      await disconnect(client);
    }
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
    for (const [name, account] of Object.entries(cfg.accounts)) out.push({ name, account, hasPassword: !!(await this.storedPassword(account)) });
    return out;
  }

  async saveAccount(req: Request<'accounts:save'>): Promise<Response<'accounts:save'>> {
    const account = req.account as Account;
    const { before } = await this.config.saveAccount(req.name, account, req.previousName);
    // The keychain entry follows the account when its user or host changes.
    if (before && accountKey(before.username, before.host) !== accountKey(account.username, account.host)) {
      const old = await this.storedPassword(before);
      if (old) {
        const store = await this.secrets();
        await store.set(accountKey(account.username, account.host), old);
        await store.delete(accountKey(before.username, before.host));
      }
    }
    return { name: req.name, account, hasPassword: !!(await this.storedPassword(account)) };
  }

  async removeAccount(req: Request<'accounts:remove'>): Promise<null> {
    const removed = await this.config.removeAccount(req.name);
    const others = Object.values((await this.config.read()).accounts).some((a) => accountKey(a.username, a.host) === accountKey(removed.username, removed.host));
    if (!others) {
      try {
        await (await this.secrets()).delete(accountKey(removed.username, removed.host));
      } catch (err) {
        // The account is gone either way; without a keychain there was no saved password to delete.
        if (!(err instanceof AppError && err.code === 'KEYCHAIN_UNAVAILABLE')) throw err;
      }
    }
    return null;
  }

  async setPassword(req: Request<'password:set'>): Promise<null> {
    const a = await this.config.account(req.name);
    await (await this.secrets()).set(accountKey(a.username, a.host), req.password);
    return null;
  }

  async deletePassword(req: Request<'password:delete'>): Promise<null> {
    const a = await this.config.account(req.name);
    await (await this.secrets()).delete(accountKey(a.username, a.host));
    return null;
  }

  async testConnection(req: Request<'connection:test'>): Promise<Response<'connection:test'>> {
    const account = req.account as Account;
    const password = await this.passwordFor(account, req.password);
    const folders = await this.withClient(account, password, (c) => listFolders(c, false));
    return { folders: folders.length, server: `${account.host}:${account.port ?? defaultPort(account.security)}` };
  }

  async listFolders(req: Request<'folders:list'>): Promise<Response<'folders:list'>> {
    const account = await this.config.account(req.name);
    const password = await this.passwordFor(account, req.password);
    return this.withClient(account, password, (c) => listFolders(c, true));
  }

  async listProfiles(): Promise<Response<'profiles:list'>> {
    return Object.entries((await this.config.read()).profiles).map(([name, profile]) => ({ name, profile }));
  }

  async saveProfile(req: Request<'profiles:save'>): Promise<Response<'profiles:save'>> {
    await this.config.saveProfile(req.name, req.profile as never, req.previousName);
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
    const password = await this.passwordFor(cfg.accounts[plan.accountName], req.password);
    const abort = new AbortController();
    this.running.set(req.scanId, abort);
    const seen: string[] = [];
    try {
      const result = await this.engine.sync({ config: cfg, configFile: this.deps.configFile, profile: req.profile, password, full: req.full }, {
        signal: abort.signal,
        onProgress: (p) => {
          if (!seen.includes(p.folder)) seen.push(p.folder);
          const listed = plan.folders.findIndex((f) => f.toLowerCase() === p.folder.toLowerCase());
          this.deps.emitProgress({ scanId: req.scanId, folder: p.folder, folderIndex: listed >= 0 ? listed : seen.indexOf(p.folder), folderCount: plan.folders.length, done: p.done, total: p.total, calendarParts: p.calendarParts });
        },
      });
      // Only a finished scan moves "since the last sync" forward; a cancelled or failed one changes nothing.
      const { events, removed } = await this.engine.preview({ scope: `profile:${req.profile}`, result: { items: result.items, ics: result.ics }, commit: true });
      this.scans.set(req.scanId, { profile: req.profile, ics: result.ics, output: plan.output });
      while (this.scans.size > KEEP_SCANS) this.scans.delete(this.scans.keys().next().value!);
      const r = result.report;
      return {
        scanId: req.scanId,
        profile: req.profile,
        events,
        skipped: r.skipped.map((s) => ({ folder: s.folder, uid: s.uid, subject: s.subject, section: s.section, reason: s.reason })),
        warnings: r.warnings.map((w) => ({ folder: w.folder, uid: w.uid, message: w.message })),
        summary: { messages: r.messages, calendarParts: r.calendarParts, eventsOut: r.eventsOut, bytesDownloaded: r.bytesDownloaded, wallTimeMs: r.wallTimeMs, removedSinceLastSync: removed },
      };
    } finally {
      this.running.delete(req.scanId);
    }
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
    const chosen = await this.deps.chooseSavePath(scan.output);
    if (!chosen) return { saved: false };
    const file = path.resolve(chosen);
    await writeFileAtomic(file, scan.ics);
    this.written.add(file);
    // Remember the place: the profile's output now points at the exported file.
    await this.config.update((cfg) => {
      const p = cfg.profiles[scan.profile];
      if (p) p.output = file;
    });
    return { saved: true, path: file };
  }

  async showInFolder(req: Request<'shell:show-in-folder'>): Promise<null> {
    const file = path.resolve(req.path);
    const outputs = Object.keys((await this.config.read()).profiles).length ? await this.profileOutputs() : [];
    if (!this.written.has(file) && !outputs.includes(file)) throw new AppError('USAGE', `${req.path} is not a calendar file mailbox2ics wrote.`, { file: req.path });
    this.deps.showItemInFolder(file);
    return null;
  }

  private async profileOutputs(): Promise<string[]> {
    const cfg = await this.config.read();
    return Object.keys(cfg.profiles).map((n) => planProfile(cfg, n, this.deps.configFile).output);
  }
}
