// Runs each sync profile on its interval, with jitter, never two runs of one profile at once,
// exponential backoff while it keeps failing, and an immediate catch-up after sleep or a network
// change. Time comes from an injected clock, so tests never sleep. Knows nothing of IMAP or Electron.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface ScheduledProfile {
  name: string;
  intervalMinutes: number;
  enabled: boolean;
}

export type RunOutcome = { ok: true; summary: string; changes?: { added: number; updated: number; cancelled: number; removed: number } } | { ok: false; error: string };

export interface ProfileStatus {
  name: string;
  state: 'idle' | 'running' | 'paused' | 'disabled';
  lastRunAt?: number;
  lastOk?: { at: number; summary: string };
  lastError?: { at: number; message: string };
  /** Consecutive failures; 0 when the last run succeeded. */
  failures: number;
  nextAt?: number;
}

export type Transition =
  | { kind: 'failing'; profile: string; error: string }
  | { kind: 'recovered'; profile: string; summary: string }
  | { kind: 'synced'; profile: string; summary: string; changes?: { added: number; updated: number; cancelled: number; removed: number } };

export interface SchedulerOptions {
  clock?: Clock;
  run: (profile: string) => Promise<RunOutcome>;
  /** 0..1; injected for tests. */
  random?: () => number;
  /** Fraction of the interval added or removed at random (default ±10%). */
  jitter?: number;
  /** Backoff never waits longer than this (default 6 h). */
  maxBackoffMs?: number;
  onChange?: (status: ProfileStatus[]) => void;
  onTransition?: (t: Transition) => void;
}

interface Entry {
  profile: ScheduledProfile;
  status: ProfileStatus;
  timer?: unknown;
  running?: Promise<RunOutcome>;
}

const MINUTE = 60_000;

export class Scheduler {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly entries = new Map<string, Entry>();
  private paused = false;
  private stopped = false;

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
  }

  /** Replaces the set of profiles; keeps the history of the ones that stay. */
  setProfiles(profiles: ScheduledProfile[]): void {
    const names = new Set(profiles.map((p) => p.name));
    for (const [name, e] of this.entries) {
      if (!names.has(name)) {
        this.clock.clearTimeout(e.timer);
        this.entries.delete(name);
      }
    }
    for (const p of profiles) {
      const e = this.entries.get(p.name);
      if (e) {
        const changed = e.profile.intervalMinutes !== p.intervalMinutes || e.profile.enabled !== p.enabled;
        e.profile = p;
        if (changed && !e.running) this.plan(e, this.delay(e));
      } else {
        const entry: Entry = { profile: p, status: { name: p.name, state: 'idle', failures: 0 } };
        this.entries.set(p.name, entry);
        // A new profile syncs soon (a few seconds of jitter), then on its interval.
        this.plan(entry, Math.round(this.random() * 5_000));
      }
    }
    this.changed();
  }

  statuses(): ProfileStatus[] {
    return [...this.entries.values()].map((e) => ({ ...e.status, state: this.stateOf(e) }));
  }

  private stateOf(e: Entry): ProfileStatus['state'] {
    if (e.running) return 'running';
    if (!e.profile.enabled) return 'disabled';
    if (this.paused) return 'paused';
    return 'idle';
  }

  /** Delay before the next run: the interval with jitter, doubled per consecutive failure. */
  private delay(e: Entry): number {
    const base = e.profile.intervalMinutes * MINUTE;
    const backoff = e.status.failures > 0 ? Math.min(base * 2 ** e.status.failures, Math.max(base, this.opts.maxBackoffMs ?? 6 * 60 * MINUTE)) : base;
    const j = this.opts.jitter ?? 0.1;
    return Math.max(1_000, Math.round(backoff * (1 + j * (2 * this.random() - 1))));
  }

  private plan(e: Entry, ms: number): void {
    this.clock.clearTimeout(e.timer);
    e.timer = undefined;
    e.status.nextAt = undefined;
    if (this.stopped || this.paused || !e.profile.enabled) return;
    e.status.nextAt = this.clock.now() + ms;
    e.timer = this.clock.setTimeout(() => void this.runNow(e.profile.name), ms);
  }

  /** Runs a profile now; if it is already running, returns that run instead of starting another. */
  runNow(name: string): Promise<RunOutcome> {
    const e = this.entries.get(name);
    if (!e) return Promise.resolve({ ok: false, error: `There is no profile named "${name}".` });
    if (e.running) return e.running;
    this.clock.clearTimeout(e.timer);
    e.status.nextAt = undefined;
    const run = (async (): Promise<RunOutcome> => {
      let outcome: RunOutcome;
      try {
        outcome = await this.opts.run(name);
      } catch (err) {
        outcome = { ok: false, error: (err as Error)?.message ?? String(err) };
      }
      return outcome;
    })();
    e.running = run;
    this.changed();
    void run.then((outcome) => {
      e.running = undefined;
      this.finish(e, outcome, true);
    });
    return run;
  }

  /**
   * A run of the profile that happened elsewhere (the window's "Sync now"): the tray's status line
   * and the next run count from it, as from a scheduled one. Nothing is notified (the person who
   * started it sees its result), except that a profile that was failing has recovered.
   */
  recordRun(name: string, outcome: RunOutcome): void {
    const e = this.entries.get(name);
    if (!e || e.running) return;
    this.clock.clearTimeout(e.timer);
    this.finish(e, outcome, false);
  }

  private finish(e: Entry, outcome: RunOutcome, notify: boolean): void {
    const name = e.profile.name;
    const at = this.clock.now();
    e.status.lastRunAt = at;
    if (outcome.ok) {
      const wasFailing = e.status.failures > 0;
      e.status.failures = 0;
      e.status.lastOk = { at, summary: outcome.summary };
      if (wasFailing) this.opts.onTransition?.({ kind: 'recovered', profile: name, summary: outcome.summary });
      if (notify) this.opts.onTransition?.({ kind: 'synced', profile: name, summary: outcome.summary, changes: outcome.changes });
    } else {
      e.status.failures += 1;
      e.status.lastError = { at, message: outcome.error };
      // Notify once when a profile starts failing, not on every failed interval.
      if (notify && e.status.failures === 1) this.opts.onTransition?.({ kind: 'failing', profile: name, error: outcome.error });
    }
    if (this.entries.get(name) === e) this.plan(e, this.delay(e));
    this.changed();
  }

  pause(): void {
    this.paused = true;
    for (const e of this.entries.values()) this.plan(e, 0);
    this.changed();
  }

  resume(): void {
    this.paused = false;
    this.wake();
  }

  isPaused(): boolean {
    return this.paused;
  }

  /**
   * After sleep or when the network comes back: every profile whose run is due (or overdue, as
   * timers do not fire during sleep) runs now; the others keep their time.
   */
  wake(): void {
    const now = this.clock.now();
    for (const e of this.entries.values()) {
      if (e.running || this.paused || !e.profile.enabled) continue;
      const due = e.status.nextAt === undefined || e.status.nextAt <= now;
      if (due) void this.runNow(e.profile.name);
    }
    this.changed();
  }

  /** Stops all timers; running syncs finish on their own. */
  stop(): void {
    this.stopped = true;
    for (const e of this.entries.values()) this.clock.clearTimeout(e.timer);
  }

  /** Resolves when no profile is running (for a clean shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.running?.catch(() => undefined)));
  }

  private changed(): void {
    this.opts.onChange?.(this.statuses());
  }
}
