// The long-running side shared by `mailbox2ics serve` and the tray: every scheduled profile synced
// on its interval (each run replaces its .ics atomically; a failed run keeps the last good file)
// and, if enabled, the local feed. Passwords come from the environment or the keychain, never a file.
import { AppError } from '../errors.ts';
import { ConnectionPool } from '../imap/connection-pool.ts';
import { loadConfig, saveConfig } from '../config/config-file.ts';
import { planProfile, runProfile } from '../config/profile-run.ts';
import { newFeedToken, startFeedServer, webcalUrl, type FeedProfile, type RunningFeed } from '../feed/feed-server.ts';
import { toPreviewEvents } from '../preview/preview-events.ts';
import { Scheduler, type Clock, type RunOutcome, type Transition } from '../schedule/scheduler.ts';
import { accountKey, type SecretStore } from '../secrets/secret-store.ts';
import type { SyncCache } from '../store/cache.ts';

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
}

export interface RunningService {
  scheduler: Scheduler;
  feed?: RunningFeed;
  /** Feed URL per profile (http and webcal), when the feed is on. */
  urls: Record<string, { http: string; webcal: string }>;
  /** Gives a profile a new feed token (saved atomically); the old URL stops working at once. */
  regenerateToken(profile: string): Promise<{ http: string; webcal: string }>;
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

export async function startProfileService(opts: ProfileServiceOptions): Promise<RunningService> {
  let cfg = await loadConfig(opts.configFile);
  const pool = opts.pool ?? new ConnectionPool();
  const file = opts.configFile;
  // Every served profile needs a token; missing ones are made once and saved (atomically).
  if (cfg.feed?.enabled) {
    const missing = Object.keys(cfg.profiles).filter((n) => !cfg.feed!.tokens[n]);
    if (missing.length) {
      for (const n of missing) cfg.feed.tokens[n] = newFeedToken();
      await saveConfig(file, cfg);
      cfg = await loadConfig(file);
    }
  }

  const run = async (name: string): Promise<RunOutcome> => {
    try {
      const plan = planProfile(cfg, name, file);
      const password = await secret(opts, 'MAILBOX2ICS_PASSWORD', accountKey(plan.connect.username, plan.connect.host));
      if (!password) throw new AppError('NO_PASSWORD', `No password for ${accountKey(plan.connect.username, plan.connect.host)} (account "${plan.accountName}"): store it in the keychain or set MAILBOX2ICS_PASSWORD.`);
      const result = await runProfile(plan, { password, cache: opts.cache, pool });
      const scope = `profile:${name}`;
      const { events, snapshot, removed } = toPreviewEvents(result.items, result.ics, opts.cache?.getSnapshot(scope));
      opts.cache?.putSnapshot(scope, snapshot);
      const count = (c: string) => events.filter((e) => e.change === c).length;
      const changes = { added: count('new'), updated: count('updated'), cancelled: count('cancelled'), removed };
      const summary = `${result.report.eventsOut} events (${changes.added} new, ${changes.updated} updated, ${changes.cancelled} cancelled, ${removed} removed), ${result.report.skipped.length} skipped`;
      return { ok: true, summary, changes };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };

  const scheduler = new Scheduler({
    clock: opts.clock,
    run,
    onTransition: (t) => {
      const at = new Date().toISOString();
      if (t.kind === 'synced') opts.log(`${at} ${t.profile}: synced: ${t.summary}`);
      if (t.kind === 'failing') opts.log(`${at} ${t.profile}: FAILED (keeping the last good file; retrying with backoff): ${t.error}`);
      if (t.kind === 'recovered') opts.log(`${at} ${t.profile}: recovered`);
      opts.onTransition?.(t);
    },
    onChange: (statuses) => {
      for (const s of statuses) if (s.state === 'idle' && s.failures > 1 && s.lastError) opts.log(`${new Date().toISOString()} ${s.name}: still failing (${s.failures} times): ${s.lastError.message}`);
    },
  });

  let feed: RunningFeed | undefined;
  const urls: RunningService['urls'] = {};
  if (cfg.feed?.enabled) {
    const f = cfg.feed;
    let basicAuth: { username: string; password: string } | undefined;
    if (f.username) {
      const pw = await secret(opts, 'MAILBOX2ICS_FEED_PASSWORD', `${FEED_KEYCHAIN_PREFIX}${f.username}`);
      if (!pw) throw new AppError('NO_PASSWORD', `No password for the feed user "${f.username}": store it in the keychain (account "${FEED_KEYCHAIN_PREFIX}${f.username}") or set MAILBOX2ICS_FEED_PASSWORD.`);
      basicAuth = { username: f.username, password: pw };
    }
    // Read on every request: a regenerated token applies at once.
    const served = (): FeedProfile[] => Object.keys(cfg.profiles).map((n) => ({ name: n, token: cfg.feed!.tokens[n], file: planProfile(cfg, n, file).output }));
    feed = await startFeedServer({ host: f.listen === 'lan' ? '0.0.0.0' : '127.0.0.1', port: f.port, basicAuth, profiles: served, log: opts.log });
    for (const p of served()) {
      const http = feed.url(p);
      urls[p.name] = { http, webcal: webcalUrl(http) };
    }
  }
  const regenerateToken = async (profile: string) => {
    if (!feed || !cfg.feed?.enabled) throw new AppError('CONFIG', 'The local feed is not enabled in the configuration.');
    if (!(profile in cfg.profiles)) throw new AppError('CONFIG', `There is no profile named "${profile}".`, { profile });
    const next = await loadConfig(file);
    next.feed!.tokens[profile] = newFeedToken();
    await saveConfig(file, next);
    cfg = await loadConfig(file);
    const http = feed.url({ name: profile, token: cfg.feed!.tokens[profile], file: '' });
    urls[profile] = { http, webcal: webcalUrl(http) };
    return urls[profile];
  };

  scheduler.setProfiles(Object.entries(cfg.profiles).map(([name, p]) => ({ name, intervalMinutes: p.schedule.intervalMinutes, enabled: p.schedule.enabled })));
  return {
    scheduler,
    feed,
    urls,
    regenerateToken,
    async stop() {
      scheduler.stop();
      await scheduler.idle();
      await feed?.close();
      if (!opts.pool) await pool.closeAll();
    },
  };
}
