// Month or week view: a grid of days filled with the occurrences main expands for the visible
// range (series, overrides and exceptions included). Days are in the user's time zone.
import { useEffect, useState } from 'react';
import type { Occurrence } from '../../../../electron/shared/ipc-contract.ts';
import { api, call } from '../../api.ts';
import { formatTime } from './format.ts';

export type Mode = 'month' | 'week';

function startOfWeek(d: Date): Date {
  const x = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  x.setDate(x.getDate() - ((x.getDay() + 6) % 7)); // Monday first
  return x;
}

export function rangeFor(mode: Mode, anchor: Date): { days: Date[]; from: Date; to: Date } {
  const first = mode === 'month' ? startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth(), 1)) : startOfWeek(anchor);
  const count = mode === 'month' ? 42 : 7;
  const days = Array.from({ length: count }, (_, i) => new Date(first.getFullYear(), first.getMonth(), first.getDate() + i));
  return { days, from: days[0], to: new Date(first.getFullYear(), first.getMonth(), first.getDate() + count) };
}

const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;

export function CalendarGrid({ scanId, mode, onSelect, report }: { scanId: string; mode: Mode; onSelect: (key: string) => void; report: (e: unknown) => void }) {
  const [anchor, setAnchor] = useState(() => new Date());
  const [occ, setOcc] = useState<Occurrence[]>([]);
  const { days, from, to } = rangeFor(mode, anchor);
  useEffect(() => {
    call(api().previewOccurrences({ scanId, from: from.toISOString(), to: to.toISOString() })).then(setOcc, report);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scanId, from.getTime(), to.getTime()]);
  const byDay = new Map<string, Occurrence[]>();
  for (const o of occ) {
    // All-day dates are calendar dates (00:00 UTC), timed ones fall on the local day they start.
    const d = o.allDay ? new Date(Number(o.start.slice(0, 4)), Number(o.start.slice(5, 7)) - 1, Number(o.start.slice(8, 10))) : new Date(o.start);
    const k = dayKey(d);
    byDay.set(k, [...(byDay.get(k) ?? []), o]);
  }
  const shift = (n: number) => setAnchor(mode === 'month' ? new Date(anchor.getFullYear(), anchor.getMonth() + n, 1) : new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate() + 7 * n));
  const title = mode === 'month' ? anchor.toLocaleDateString(undefined, { month: 'long', year: 'numeric' }) : `Week of ${days[0].toLocaleDateString()}`;
  return (
    <div className={`calendar ${mode}`}>
      <div className="toolbar">
        <button type="button" onClick={() => shift(-1)} aria-label={`Previous ${mode}`}>‹</button>
        <button type="button" onClick={() => setAnchor(new Date())}>Today</button>
        <button type="button" onClick={() => shift(1)} aria-label={`Next ${mode}`}>›</button>
        <h3 aria-live="polite">{title}</h3>
      </div>
      <div className="days" role="grid" aria-label={title}>
        {days.map((d) => (
          <div key={dayKey(d)} role="gridcell" className={`day${mode === 'month' && d.getMonth() !== anchor.getMonth() ? ' outside' : ''}`} aria-label={d.toDateString()}>
            <div className="date">{d.getDate()}</div>
            {(byDay.get(dayKey(d)) ?? []).map((o) => (
              <button type="button" key={`${o.key}@${o.start}`} className={`occ${o.cancelled ? ' cancelled' : ''}`} onClick={() => onSelect(o.key)}>
                <span className="time">{formatTime(o.start, o.allDay)}</span> {o.summary || '(no title)'}
              </button>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
