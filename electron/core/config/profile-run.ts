// Turns a configured profile into a sync request and runs it: connect, incremental sync through the
// cache, write the profile's .ics atomically. Shared by `mailbox2ics sync --config`, the tray
// schedule and the window. The password is passed in, never read from or written to the config.
import type { Account, Config, ProfileFilters } from '../../shared/config-schema.ts';
import type { ComponentType } from '../ical/build-calendar.ts';
import type { ImapFlow } from 'imapflow';
import type { ConnectOptions } from '../imap/connect.ts';
import type { ConnectionPool } from '../imap/connection-pool.ts';
import type { ScanProgress } from '../imap/scan.ts';
import { buildEventFilter, type EventFilter } from '../filters/event-filter.ts';
import { buildServerFilter, type ServerFilter } from '../filters/server-filter.ts';
import { DEFAULT_MAX_PART_BYTES } from '../limits.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import type { SyncCache } from '../store/cache.ts';
import { syncFromImap, type SyncResult } from '../sync/run-sync.ts';
import { resolveConfigPath } from './config-file.ts';

export interface ProfilePlan {
  name: string;
  accountName: string;
  /** Everything needed to connect except the password. */
  connect: Omit<ConnectOptions, 'password'>;
  folders: string[];
  serverFilter: ServerFilter;
  eventFilter: EventFilter;
  include: Set<ComponentType>;
  cancelled: 'remove' | 'keep';
  maxPartBytes: number;
  /** Absolute output path. */
  output: string;
}

export function connectionOf(account: Account, configFile: string): Omit<ConnectOptions, 'password'> {
  return {
    host: account.host,
    port: account.port,
    security: account.security,
    username: account.username,
    caFile: account.caFile ? resolveConfigPath(account.caFile, configFile) : undefined,
    pinnedFingerprint: account.pinnedFingerprint,
  };
}

export function filtersOf(f: ProfileFilters, now = new Date()): { serverFilter: ServerFilter; eventFilter: EventFilter } {
  return {
    serverFilter: buildServerFilter({ from: f.from, to: f.to, subject: f.subject, since: f.since, before: f.before, headers: f.headers, allowSenders: f.allowSenders }),
    eventFilter: buildEventFilter({ window: f.window, match: f.match, exclude: f.exclude }, now),
  };
}

/** A validated config (see parseConfig) → what to run for one profile. */
export function planProfile(cfg: Config, name: string, configFile: string, now = new Date()): ProfilePlan {
  const p = cfg.profiles[name];
  return {
    name,
    accountName: p.account,
    connect: connectionOf(cfg.accounts[p.account], configFile),
    folders: p.folders,
    ...filtersOf(p.filters, now),
    include: new Set<ComponentType>(['VEVENT', ...p.include]),
    cancelled: p.cancelled,
    maxPartBytes: p.maxPartBytes ?? DEFAULT_MAX_PART_BYTES,
    output: resolveConfigPath(p.output, configFile),
  };
}

export interface RunProfileOptions {
  password: string;
  /** OAuth2 accounts: the access token to log in with instead of the password. */
  accessToken?: string;
  /** Keep the connection open for the next run (tray, serve). */
  pool?: ConnectionPool;
  cache?: SyncCache;
  full?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
}

/** Syncs one profile from its plan (the cache makes it incremental); writes nothing. */
export function syncProfile(plan: ProfilePlan, opts: RunProfileOptions, connect?: (o: ConnectOptions) => Promise<ImapFlow>): Promise<SyncResult> {
  return syncFromImap({
    connect: { ...plan.connect, password: opts.password, ...(opts.accessToken ? { accessToken: opts.accessToken } : {}) },
    folders: plan.folders,
    serverFilter: plan.serverFilter,
    eventFilter: plan.eventFilter,
    include: plan.include,
    cancelled: plan.cancelled,
    maxPartBytes: plan.maxPartBytes,
    cache: opts.cache,
    pool: opts.pool,
    full: opts.full,
    signal: opts.signal,
    onProgress: opts.onProgress,
  }, connect);
}

/** Syncs one profile and replaces its output file atomically; on any failure the old file stays. */
export async function runProfile(plan: ProfilePlan, opts: RunProfileOptions): Promise<SyncResult> {
  const result = await syncProfile(plan, opts);
  await writeFileAtomic(plan.output, result.ics);
  return result;
}
