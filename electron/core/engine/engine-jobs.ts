// The heavy work of a sync (scan, merge, change detection, occurrence expansion) as plain functions
// over a context, so the same code runs in the main thread (CLI, tests) or in the engine worker.
// Never writes the output file and never touches the configuration file.
import type { ImapFlow } from 'imapflow';
import type { Config } from '../../shared/config-schema.ts';
import type { PreviewEvent } from '../../shared/ipc-contract.ts';
import { planProfile, syncProfile } from '../config/profile-run.ts';
import type { ConnectOptions } from '../imap/connect.ts';
import type { ConnectionPool } from '../imap/connection-pool.ts';
import type { ScanProgress } from '../imap/scan.ts';
import { expandOccurrences, toPreviewEvents } from '../preview/preview-events.ts';
import type { SyncCache } from '../store/cache.ts';
import type { SyncResult } from '../sync/run-sync.ts';

export interface EngineContext {
  cache?: SyncCache;
  pool?: ConnectionPool;
  connect?: (o: ConnectOptions) => Promise<ImapFlow>;
}

export interface SyncJob {
  /** The configuration the profile is planned from (the caller's current one), and where it lives. */
  config: Config;
  configFile: string;
  profile: string;
  password: string;
  /** OAuth2 accounts: the access token the caller's TokenManager handed out (the password is then unused). */
  accessToken?: string;
  /**
   * The CA file's certificates the caller read to find the password (its keychain entry is bound to
   * them): the connection trusts exactly these bytes, not whatever the file holds a moment later.
   */
  caPem?: string;
  full?: boolean;
}

export interface PreviewJob {
  /** Snapshot scope: what "since the last sync" is measured against. */
  scope: string;
  result: Pick<SyncResult, 'items' | 'ics'>;
  /** Move the snapshot forward (only after a sync that counted: written, or shown). */
  commit: boolean;
}

export interface PreviewOutcome {
  events: PreviewEvent[];
  removed: number;
  /** There was no earlier snapshot to compare with (every event is "new"). */
  firstSync: boolean;
}

export function runSyncJob(ctx: EngineContext, job: SyncJob, signal?: AbortSignal, onProgress?: (p: ScanProgress) => void): Promise<SyncResult> {
  const plan = planProfile(job.config, job.profile, job.configFile);
  if (job.caPem !== undefined) plan.connect = { ...plan.connect, caPem: job.caPem };
  return syncProfile(plan, { password: job.password, accessToken: job.accessToken, cache: ctx.cache, pool: ctx.pool, full: job.full, signal, onProgress }, ctx.connect);
}

export function runPreviewJob(ctx: EngineContext, job: PreviewJob): PreviewOutcome {
  const previous = ctx.cache?.getSnapshot(job.scope);
  const { events, snapshot, removed } = toPreviewEvents(job.result.items, job.result.ics, previous);
  if (job.commit) ctx.cache?.putSnapshot(job.scope, snapshot);
  return { events, removed, firstSync: !previous };
}

export type Occurrences = ReturnType<typeof expandOccurrences>;

export function runOccurrencesJob(ics: string, from: Date, to: Date): Occurrences {
  return expandOccurrences(ics, from, to);
}
