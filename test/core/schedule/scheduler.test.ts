// The schedule with an injected clock: intervals with jitter, one run per profile at a time,
// exponential backoff, notifications once per failing streak, pause/resume, catch-up after sleep.
import { describe, expect, it } from 'vitest';
import { Scheduler, type Clock, type RunOutcome, type Transition } from '../../../electron/core/schedule/scheduler.ts';

/** A clock whose time moves only when the test says so; timers fire in order. */
class FakeClock implements Clock {
  t = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  /** Moves time forward, firing due timers (and letting their promises settle). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.t = due.at;
      due.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
  /** Time jumps without timers firing: what a suspended machine sees on wake-up. */
  sleep(ms: number): void {
    this.t += ms;
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
const MIN = 60_000;

function setup(outcomes: Record<string, Array<RunOutcome | 'hang'>> = {}, random = () => 0.5) {
  const clock = new FakeClock();
  const runs: Array<[string, number]> = [];
  const transitions: Transition[] = [];
  const hanging: Array<() => void> = [];
  const scheduler = new Scheduler({
    clock,
    random,
    run: async (name) => {
      runs.push([name, clock.now()]);
      const o = outcomes[name]?.shift() ?? { ok: true, summary: 'ok' };
      if (o === 'hang') return new Promise<RunOutcome>((resolve) => hanging.push(() => resolve({ ok: true, summary: 'late' })));
      return o;
    },
    onTransition: (t) => transitions.push(t),
  });
  return { clock, runs, transitions, scheduler, hanging };
}

describe('scheduler', () => {
  it('runs a new profile soon, then every interval with jitter', async () => {
    const { clock, runs, scheduler } = setup({}, () => 1); // maximum jitter: +10%
    const t0 = clock.now();
    scheduler.setProfiles([{ name: 'team', intervalMinutes: 10, enabled: true }]);
    await clock.advance(5_000);
    expect(runs).toEqual([['team', t0 + 5_000]]);
    await clock.advance(11 * MIN);
    expect(runs.map(([, t]) => t - t0)).toEqual([5_000, 5_000 + 11 * MIN]);
    expect(scheduler.statuses()[0]).toMatchObject({ state: 'idle', failures: 0, lastOk: { summary: 'ok' }, nextAt: t0 + 5_000 + 22 * MIN });
  });

  it('never runs one profile twice at once: Sync now during a run joins it', async () => {
    const { clock, runs, scheduler, hanging } = setup({ team: ['hang'] });
    scheduler.setProfiles([{ name: 'team', intervalMinutes: 1, enabled: true }]);
    await clock.advance(5_000);
    expect(scheduler.statuses()[0].state).toBe('running');
    const a = scheduler.runNow('team');
    await clock.advance(30 * MIN); // intervals pass while it hangs: nothing else starts
    expect(runs).toHaveLength(1);
    hanging[0]();
    expect(await a).toEqual({ ok: true, summary: 'late' });
    await flush();
    expect(scheduler.statuses()[0].state).toBe('idle');
  });

  it('backs off exponentially while failing, notifies once, and recovers', async () => {
    const fail = { ok: false as const, error: 'login rejected' };
    const { clock, runs, transitions, scheduler } = setup({ team: [fail, fail, fail, { ok: true, summary: '153 events' }] });
    const t0 = clock.now();
    scheduler.setProfiles([{ name: 'team', intervalMinutes: 10, enabled: true }]);
    await clock.advance(5_000 + 20 * MIN + 40 * MIN + 80 * MIN);
    // 1st failure → wait 20 min, 2nd → 40, 3rd → 80, then success.
    expect(runs.map(([, t]) => (t - t0 - 2_500) / MIN)).toEqual([0, 20, 60, 140]);
    expect(transitions.filter((t) => t.kind === 'failing')).toEqual([{ kind: 'failing', profile: 'team', error: 'login rejected' }]);
    expect(transitions.filter((t) => t.kind === 'recovered')).toEqual([{ kind: 'recovered', profile: 'team', summary: '153 events' }]);
    expect(scheduler.statuses()[0]).toMatchObject({ failures: 0, lastError: { message: 'login rejected' }, lastOk: { summary: '153 events' } });
  });

  it("a run elsewhere (the window's Sync now) is the tray's last sync, restarts the interval, and notifies only a recovery", async () => {
    const { clock, runs, transitions, scheduler } = setup({}, () => 0.5);
    const t0 = clock.now();
    scheduler.setProfiles([{ name: 'team', intervalMinutes: 10, enabled: true }]);
    await clock.advance(5_000);
    expect(runs).toHaveLength(1);
    await clock.advance(4 * MIN);
    scheduler.recordRun('team', { ok: false, error: 'login rejected' });
    expect(scheduler.statuses()[0]).toMatchObject({ failures: 1, lastRunAt: t0 + 5_000 + 4 * MIN, lastError: { message: 'login rejected' } });
    expect(transitions.filter((t) => t.kind === 'failing')).toEqual([]);
    scheduler.recordRun('team', { ok: true, summary: '3 events' });
    expect(scheduler.statuses()[0]).toMatchObject({ failures: 0, lastOk: { at: t0 + 5_000 + 4 * MIN, summary: '3 events' }, nextAt: t0 + 5_000 + 14 * MIN });
    expect(transitions.filter((t) => t.kind === 'recovered')).toEqual([{ kind: 'recovered', profile: 'team', summary: '3 events' }]);
    expect(transitions.filter((t) => t.kind === 'synced')).toHaveLength(1); // the scheduled run's only
    // The next scheduled run counts from the window's sync, not from the last scheduled one.
    await clock.advance(9 * MIN);
    expect(runs).toHaveLength(1);
    await clock.advance(1 * MIN);
    expect(runs).toHaveLength(2);
    // Unknown profiles are ignored.
    scheduler.recordRun('other', { ok: true, summary: 'x' });
    expect(scheduler.statuses().map((st) => st.name)).toEqual(['team']);
  });

  it('caps the backoff', async () => {
    const fail = { ok: false as const, error: 'down' };
    const { clock, runs, scheduler } = setup({ team: Array(12).fill(fail) });
    scheduler.setProfiles([{ name: 'team', intervalMinutes: 60, enabled: true }]);
    await clock.advance(72 * 60 * MIN);
    const gaps = runs.slice(1).map(([, t], i) => (t - runs[i][1]) / MIN);
    expect(Math.max(...gaps)).toBe(360);
  });

  it('pause stops the schedule, resume runs what came due; Sync now still works while paused', async () => {
    const { clock, runs, scheduler } = setup();
    scheduler.setProfiles([{ name: 'team', intervalMinutes: 10, enabled: true }]);
    await clock.advance(5_000);
    scheduler.pause();
    await clock.advance(60 * MIN);
    expect(runs).toHaveLength(1);
    expect(scheduler.statuses()[0].state).toBe('paused');
    await scheduler.runNow('team');
    expect(runs).toHaveLength(2);
    scheduler.resume();
    await flush();
    expect(runs).toHaveLength(3);
  });

  it('after sleep, overdue profiles run at once and the others keep their time', async () => {
    const { clock, runs, scheduler } = setup();
    scheduler.setProfiles([{ name: 'often', intervalMinutes: 10, enabled: true }, { name: 'daily', intervalMinutes: 24 * 60, enabled: true }]);
    await clock.advance(5_000);
    expect(runs).toHaveLength(2);
    clock.sleep(3 * 60 * MIN); // no timer fired during those 3 hours
    scheduler.wake();
    await flush();
    expect(runs.slice(2).map(([n]) => n)).toEqual(['often']);
  });

  it('a disabled profile never runs on its own; removing a profile stops it', async () => {
    const { clock, runs, scheduler } = setup();
    scheduler.setProfiles([{ name: 'off', intervalMinutes: 1, enabled: false }, { name: 'gone', intervalMinutes: 1, enabled: true }]);
    scheduler.setProfiles([{ name: 'off', intervalMinutes: 1, enabled: false }]);
    await clock.advance(60 * MIN);
    expect(runs).toEqual([]);
    expect(scheduler.statuses()).toEqual([{ name: 'off', state: 'disabled', failures: 0 }]);
  });
});
