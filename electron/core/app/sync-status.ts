// One profile's status for the window's strip: the schedule's last run and the window's own "Sync
// now", whichever is later, the next run, the event count and the last failure with its reason.
// Pure: never reads the configuration, never runs anything.
import type { SyncStatus } from '../../shared/ipc-contract.ts';
import type { ProfileStatus } from '../schedule/scheduler.ts';

export interface WindowRun {
  at?: number;
  events?: number;
  summary?: string;
  failure?: { at: number; message: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The scheduler's summaries start "N events"; that number is the calendar's event count. */
function eventsIn(summary: string | undefined): number | undefined {
  const m = /^(\d+) events\b/.exec(summary ?? '');
  return m ? Number(m[1]) : undefined;
}

export function mergeSyncStatus(
  profile: string,
  schedule: { enabled: boolean; intervalMinutes: number },
  scheduled: ProfileStatus | undefined,
  windowRun: WindowRun | undefined,
  runningInWindow: boolean,
  feedLink: boolean,
): SyncStatus {
  const fromSchedule = scheduled?.lastOk;
  const useWindow = windowRun?.at !== undefined && (!fromSchedule || windowRun.at >= fromSchedule.at);
  const lastAt = useWindow ? windowRun!.at : fromSchedule?.at;
  const failures = [scheduled?.lastError, windowRun?.failure].filter((f): f is { at: number; message: string } => !!f).sort((a, b) => b.at - a.at);
  // A failure older than the last success is history, not the state the strip reports.
  const failure = failures[0] && (lastAt === undefined || failures[0].at > lastAt) ? failures[0] : undefined;
  const summary = useWindow ? windowRun!.summary : fromSchedule?.summary;
  const events = useWindow ? windowRun!.events : eventsIn(fromSchedule?.summary);
  return {
    profile,
    running: runningInWindow || scheduled?.state === 'running',
    scheduleEnabled: schedule.enabled,
    intervalMinutes: schedule.intervalMinutes,
    ...(lastAt !== undefined ? { lastSyncAt: iso(lastAt) } : {}),
    ...(summary ? { lastSummary: summary } : {}),
    ...(schedule.enabled && scheduled?.nextAt !== undefined ? { nextAt: iso(scheduled.nextAt) } : {}),
    ...(events !== undefined ? { events } : {}),
    ...(failure ? { lastFailure: { at: iso(failure.at), message: failure.message } } : {}),
    failures: failure ? Math.max(scheduled?.failures ?? 0, 1) : 0,
    feedLink,
  };
}
