// The long-running side shared by `mailbox2ics serve` and the tray: every scheduled profile synced
// on its interval (each run replaces its .ics atomically; a failed run keeps the last good file)
// and, if enabled, the local feed. It follows every change of the configuration (reload(), or the file
// on disk when watched) at once. Passwords come from the environment or the keychain, never a file,
// and each only for its own account (see account-password.ts).
import { AppError } from '../errors.ts';
import { withCaPem } from '../imap/ca-file.ts';
import { ConnectionPool } from '../imap/connection-pool.ts';
import { existsSync } from 'node:fs';
import { emptyConfig, type Config } from '../../shared/config-schema.ts';
import { loadConfig } from '../config/config-file.ts';
import { updateConfigFile } from '../config/config-update.ts';
import { watchConfigFile, type ConfigWatcher } from '../config/config-watch.ts';
import { planProfile, type ProfilePlan } from '../config/profile-run.ts';
import { InProcessEngine, type Engine } from '../engine/engine.ts';
import { newFeedToken, startFeedServer, webcalUrl, type FeedProfile, type RunningFeed } from '../feed/feed-server.ts';
import { Scheduler, type Clock, type RunOutcome, type Transition } from '../schedule/scheduler.ts';
import { findAccountPassword, noAccountPassword } from '../secrets/account-password.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SyncCache } from '../store/cache.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import type { SyncResult } from './run-sync.ts';
import { withAccountCredential } from '../auth/account-auth.ts';
import { TokenManagers } from '../auth/token-managers.ts';
import { keychainTokenStore } from '../auth/token-store.ts';

export interface ProfileServiceOptions {
  configFile: string;
  cache?: SyncCache;
  openSecrets: () => Promise<SecretStore>;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  clock?: Clock;
  onTransition?: (t: Transition) => void;
  /** Connections kept open between runs; one is made (and closed on stop) if not given. */
  pool?: ConnectionPool;
  /** Follow the configuration file on disk (serve; the app also calls reload() after its own saves). */
  watchConfig?: boolean;
  /** Start with no profiles when the file is invalid (the app, so the window can fix it); serve refuses. */
  tolerateInvalidConfig?: boolean;
  /** Counts what a sync changed, after its file is written; a failure here never fails the sync. */
  countChanges?: (profile: string, result: SyncResult) => Changes | Promise<Changes>;
  /** Where scans and merges run: a worker thread in the app and serve; this thread by default. */
  engine?: Engine;
  /** OAuth2 sign-ins (shared with the window in the app); one over openSecrets by default. Never prompts. */
  tokens?: TokenManagers;
}

export type Changes = { added: number; updated: number; cancelled: number; removed: number };

export interface RunningService {
  scheduler: Scheduler;
  /** The feed server while the configuration enables it. */
  readonly feed?: RunningFeed;
  /** Feed URL per profile (http and webcal), when the feed is on. */
  urls: Record<string, { http: string; webcal: string }>;
  /** Gives a profile a new feed token (saved atomically); the old URL stops working at once. */
  regenerateToken(profile: string): Promise<{ http: string; webcal: string }>;
  /** Reads the configuration again and applies it: profiles (un)scheduled, feed routes and tokens. */
  reload(): Promise<void>;
  /** The configuration being applied. */
  config(): Config;
  stop(): Promise<void>;
}

export const FEED_KEYCHAIN_PREFIX = 'feed:';

async function secret(opts: ProfileServiceOptions, envName: string, key: string): Promise<string | undefined> {
  if (opts.env[envName]) return opts.env[envName];
  try {
    return (await (await opts.openSecrets()).get(key)) ?? undefined;
  } catch (err) {
    opts.log(`note: ${(err as Error).message}`);
    return undefined;
  }
}

/** Why: a run whose profile changed under it syncs again with the new settings, but never forever. */
const MAX_RESTARTS = 3;

function defaultCountChanges(engine: Engine) {
  return async (name: string, result: SyncResult): Promise<Changes> => {
    const { events, removed } = await engine.preview({ scope: `profile:${name}`, result: { items: result.items, ics: result.ics }, commit: true });
    const count = (c: string) => events.filter((e) => e.change === c).length;
    return { added: count('new'), updated: count('updated'), cancelled: count('cancelled'), removed };
  };
}

/** What decides a profile's run: its own settings and its account's (a change means "sync again"). */
function planKey(cfg: Config, name: string): string | undefined {
  const p = cfg.profiles[name];
  return p ? JSON.stringify([p, cfg.accounts[p.account] ?? null]) : undefined;
}

export async function startProfileService(opts: ProfileServiceOptions): Promise<RunningService> {
  const file = opts.configFile;
  const pool = opts.pool ?? new ConnectionPool();
  const engine = opts.engine ?? new InProcessEngine({ cache: opts.cache, pool });
  const countChanges = opts.countChanges ?? defaultCountChanges(engine);
  const tokens = opts.tokens ?? new TokenManagers(keychainTokenStore(opts.openSecrets, opts.log));
  const stamp = () => new Date().toISOString();
  let cfg: Config = emptyConfig();
  let lastProblem: string | undefined;

  /** The file as it is now; missing → no profiles yet (first run). */
  const readConfig = async (): Promise<Config> => (existsSync(file) ? loadConfig(file) : emptyConfig());

  const run = async (name: string): Promise<RunOutcome> => {
    try {
      for (let attempt = 0; ; attempt++) {
        const key = planKey(cfg, name);
        if (key === undefined) return { ok: true, summary: 'the profile was removed; nothing written' };
        const plan: ProfilePlan = planProfile(cfg, name, file);
        // The CA file is read once: the same bytes decide the trust and which keychain entry applies.
        plan.connect = await withCaPem(plan.connect);
        const query = { accountName: plan.accountName, accountNames: Object.keys(cfg.accounts), identity: plan.connect, env: opts.env, openStore: opts.openSecrets, note: opts.log };
        const runCfg = cfg;
        const result = await withAccountCredential({
          accountName: plan.accountName, account: runCfg.accounts[plan.accountName], tokens, configFile: file,
          password: async () => {
            const password = (await findAccountPassword(query))?.password;
            if (!password) throw noAccountPassword(query);
            return password;
          },
        }, (c) => engine.sync({ config: runCfg, configFile: file, profile: name, ...c, caPem: plan.connect.caPem }));
        // Settings changed while this run was under way: its result is for settings that no longer
        // exist, so it is not written; the run starts again with the new ones.
        if (planKey(cfg, name) !== key) {
          if (planKey(cfg, name) === undefined) return { ok: true, summary: 'the profile was removed; nothing written' };
          if (attempt < MAX_RESTARTS) continue;
          return { ok: false, error: 'the settings kept changing during the sync; nothing was written' };
        }
        await writeFileAtomic(plan.output, result.ics);
        const base = `${result.report.eventsOut} events`;
        const skipped = `${result.report.skipped.length} skipped`;
        // The file is written: whatever fails from here on is reported as what it is, not as a failed sync.
        try {
          const changes = await countChanges(name, result);
          return { ok: true, summary: `${base} (${changes.added} new, ${changes.updated} updated, ${changes.cancelled} cancelled, ${changes.removed} removed), ${skipped}`, changes };
        } catch (err) {
          opts.log(`${stamp()} ${name}: warning: the calendar was written, but what changed since the last sync could not be worked out: ${(err as Error).message}`);
          return { ok: true, summary: `${base} (changes since the last sync unknown), ${skipped}` };
        }
      }
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };

  const scheduler = new Scheduler({
    clock: opts.clock,
    run,
    onTransition: (t) => {
      const at = stamp();
      if (t.kind === 'synced') opts.log(`${at} ${t.profile}: synced: ${t.summary}`);
      if (t.kind === 'failing') opts.log(`${at} ${t.profile}: FAILED (keeping the last good file; retrying with backoff): ${t.error}`);
      if (t.kind === 'recovered') opts.log(`${at} ${t.profile}: recovered`);
      opts.onTransition?.(t);
    },
    onChange: (statuses) => {
      for (const s of statuses) if (s.state === 'idle' && s.failures > 1 && s.lastError) opts.log(`${stamp()} ${s.name}: still failing (${s.failures} times): ${s.lastError.message}`);
    },
  });

  let feed: RunningFeed | undefined;
  let feedKey: string | undefined;
  const urls: RunningService['urls'] = {};
  // Read on every request: new profiles, new tokens and removals apply at once.
  const served = (): FeedProfile[] =>
    Object.keys(cfg.profiles).filter((n) => cfg.feed?.tokens[n]).map((n) => ({ name: n, token: cfg.feed!.tokens[n], file: planProfile(cfg, n, file).output }));

  const applyFeed = async () => {
    const f = cfg.feed?.enabled ? cfg.feed : undefined;
    const want = f ? JSON.stringify([f.listen, f.port, f.username ?? null]) : undefined;
    if (feed && want !== feedKey) {
      await feed.close();
      feed = undefined;
      feedKey = undefined;
    }
    if (f && !feed) {
      let basicAuth: { username: string; password: string } | undefined;
      if (f.username) {
        const pw = await secret(opts, 'MAILBOX2ICS_FEED_PASSWORD', `${FEED_KEYCHAIN_PREFIX}${f.username}`);
        if (!pw) throw new AppError('NO_PASSWORD', `No password for the feed user "${f.username}": store it in the keychain (account "${FEED_KEYCHAIN_PREFIX}${f.username}") or set MAILBOX2ICS_FEED_PASSWORD.`);
        basicAuth = { username: f.username, password: pw };
      }
      feed = await startFeedServer({ host: f.listen === 'lan' ? '0.0.0.0' : '127.0.0.1', port: f.port, basicAuth, profiles: served, log: opts.log });
      feedKey = want;
    }
    for (const n of Object.keys(urls)) delete urls[n];
    if (feed) {
      for (const p of served()) {
        const http = feed.url(p);
        urls[p.name] = { http, webcal: webcalUrl(http) };
      }
    }
  };

  /** Every served profile needs a token: missing ones are made once and saved (atomically). */
  const withTokens = async (next: Config): Promise<Config> => {
    if (!next.feed?.enabled || Object.keys(next.profiles).every((n) => next.feed!.tokens[n])) return next;
    // Through the one queue for this file: a window save or "New link" at the same moment is kept.
    await updateConfigFile(file, (fresh) => {
      if (fresh.feed?.enabled) for (const n of Object.keys(fresh.profiles)) fresh.feed.tokens[n] ??= newFeedToken();
    });
    return readConfig();
  };

  const apply = async (next: Config) => {
    next = await withTokens(next);
    const before = cfg;
    cfg = next;
    await applyFeed();
    scheduler.setProfiles(Object.entries(cfg.profiles).map(([name, p]) => ({ name, intervalMinutes: p.schedule.intervalMinutes, enabled: p.schedule.enabled })));
    // A profile (or its account) that changed syncs again now, so its file and feed follow the change.
    for (const name of Object.keys(cfg.profiles)) {
      const was = planKey(before, name);
      if (was !== undefined && was !== planKey(cfg, name) && cfg.profiles[name].schedule.enabled) void scheduler.runNow(name);
    }
  };

  let reloading: Promise<void> = Promise.resolve();
  const reload = () => {
    // One reload at a time, in order: the last one applied is the file as it is now.
    reloading = reloading.then(async () => {
      let next: Config;
      try {
        next = await readConfig();
      } catch (err) {
        const msg = (err as Error).message;
        if (msg !== lastProblem) opts.log(`${stamp()} configuration: keeping the last good settings: ${msg}`);
        lastProblem = msg;
        return;
      }
      lastProblem = undefined;
      try {
        await apply(next);
      } catch (err) {
        opts.log(`${stamp()} configuration: ${(err as Error).message}`);
      }
    });
    return reloading;
  };

  try {
    await apply(await readConfig());
  } catch (err) {
    if (!opts.tolerateInvalidConfig) {
      scheduler.stop();
      await feed?.close();
      if (!opts.pool) await pool.closeAll();
      throw err;
    }
    lastProblem = (err as Error).message;
    opts.log(`${stamp()} configuration: starting without profiles: ${lastProblem}`);
  }
  const watcher: ConfigWatcher | undefined = opts.watchConfig ? watchConfigFile(file, () => void reload()) : undefined;

  const regenerateToken = async (profile: string) => {
    if (!feed || !cfg.feed?.enabled) throw new AppError('CONFIG', 'The local feed is not enabled in the configuration.');
    if (!(profile in cfg.profiles)) throw new AppError('CONFIG', `There is no profile named "${profile}".`, { profile });
    const token = newFeedToken();
    await updateConfigFile(file, (next) => {
      if (!next.feed) throw new AppError('CONFIG', 'The local feed is no longer enabled in the configuration.');
      next.feed.tokens[profile] = token;
    });
    await reload();
    return urls[profile];
  };

  return {
    scheduler,
    get feed() {
      return feed;
    },
    urls,
    regenerateToken,
    reload,
    config: () => cfg,
    async stop() {
      watcher?.close();
      await reloading;
      scheduler.stop();
      await scheduler.idle();
      await feed?.close();
      if (!opts.engine) await engine.close();
      if (!opts.pool) await pool.closeAll();
    },
  };
}
