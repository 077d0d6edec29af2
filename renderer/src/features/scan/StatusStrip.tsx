// One profile's sync state under the calendar's title: last sync, next run, event count, the last
// failure with its reason, the schedule switch and "Copy feed link" (main copies; the link's token
// never reaches the window). Text from main is shown as text.
import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../../electron/shared/ipc-contract.ts';

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "14:05" today, "3 Mar 2026, 14:05" otherwise. */
export function when(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  return d.toDateString() === now.toDateString() ? time.format(d) : dateTime.format(d);
}

export function StatusStrip({ status, onToggleSchedule, onCopyFeedLink, copied, now }: {
  status: SyncStatus; onToggleSchedule: (on: boolean) => void; onCopyFeedLink: () => void; copied?: boolean; now?: Date;
}) {
  const s = status;
  // The switch follows a click at once; main's next status confirms it (or puts it back).
  const [on, setOn] = useState(s.scheduleEnabled);
  useEffect(() => setOn(s.scheduleEnabled), [s.scheduleEnabled]);
  return (
    <section className="status-strip" aria-label={`Sync status of ${s.profile}`}>
      <dl className="facts">
        <div>
          <dt>Last sync</dt>
          <dd>{s.running ? 'syncing now…' : s.lastSyncAt ? when(s.lastSyncAt, now) : 'not yet'}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{s.events ?? '—'}</dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd>{!on ? 'schedule off' : s.nextAt ? when(s.nextAt, now) : `every ${s.intervalMinutes} min`}</dd>
        </div>
      </dl>
      <label className="inline switch">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => {
            setOn(e.target.checked);
            onToggleSchedule(e.target.checked);
          }}
        />
        Sync every {s.intervalMinutes} minutes
      </label>
      {s.feedLink && (
        <button type="button" onClick={onCopyFeedLink}>
          {copied ? 'Feed link copied' : 'Copy feed link'}
        </button>
      )}
      {s.lastFailure && (
        <p className="failure" role="alert">
          <strong>Last sync failed</strong> ({when(s.lastFailure.at, now)}
          {s.failures > 1 ? `, ${s.failures} times in a row` : ''}): {s.lastFailure.message} The calendar file keeps the last good version.
        </p>
      )}
    </section>
  );
}
