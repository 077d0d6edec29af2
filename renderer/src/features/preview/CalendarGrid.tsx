// Month or week view: a grid of days filled with the occurrences main expands for the visible range
// (series, overrides and exceptions included; a note names what was left out). Days are local time.
import { useEffect, useMemo, useState } from 'react';
import type { Occurrence, OccurrencesResult } from '../../../../electron/shared/ipc-contract.ts';
import { api, call } from '../../api.ts';
import { dayKey, occurrenceDay, rangeFor, shiftAnchor, type Mode } from './calendar-range.ts';
import { formatTime } from './format.ts';

const WEEKDAYS = Array.from({ length: 7 }, (_, i) => new Date(2024, 0, 1 + i).toLocaleDateString(undefined, { weekday: 'short' }));

export function CalendarGrid({ scanId, mode, onSelect, report, initial }: {
  scanId: string; mode: Mode; onSelect: (key: string) => void; report: (e: unknown) => void; initial?: Date;
}) {
  const [anchor, setAnchor] = useState(() => initial ?? new Date());
  const [result, setResult] = useState<OccurrencesResult>({ occurrences: [], incomplete: [], incompleteTotal: 0 });
  const { days, from, to } = useMemo(() => rangeFor(mode, anchor), [mode, anchor]);
  useEffect(() => {
    let live = true; // a late answer for a range no longer shown is dropped
    call(api().previewOccurrences({ scanId, from: from.toISOString(), to: to.toISOString() })).then((r) => live && setResult(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [scanId, from, to, report]);

  const byDay = new Map<string, Occurrence[]>();
  for (const o of result.occurrences) {
    const k = occurrenceDay(o.start, o.allDay);
    byDay.set(k, [...(byDay.get(k) ?? []), o]);
  }
  const today = dayKey(new Date());
  const title = mode === 'month' ? anchor.toLocaleDateString(undefined, { month: 'long', year: 'numeric' }) : `Week of ${days[0].toLocaleDateString(undefined, { dateStyle: 'medium' })}`;
  const weeks = Array.from({ length: days.length / 7 }, (_, w) => days.slice(w * 7, w * 7 + 7));

  return (
    <div className={`calendar ${mode}`}>
      <div className="toolbar">
        <button type="button" onClick={() => setAnchor(shiftAnchor(mode, anchor, -1))} aria-label={`Previous ${mode}`}>
          ‹ Previous
        </button>
        <button type="button" onClick={() => setAnchor(new Date())}>
          Today
        </button>
        <button type="button" onClick={() => setAnchor(shiftAnchor(mode, anchor, 1))} aria-label={`Next ${mode}`}>
          Next ›
        </button>
        <h3 aria-live="polite">{title}</h3>
      </div>
      <LeftOutNote result={result} />
      <div className="days" role="grid" aria-label={title}>
        <div role="row" className="week">
          {WEEKDAYS.map((d) => (
            <div key={d} role="columnheader" className="weekday">
              {d}
            </div>
          ))}
        </div>
        {weeks.map((week) => (
          <div key={dayKey(week[0])} role="row" className="week">
            {week.map((d) => {
              const items = byDay.get(dayKey(d)) ?? [];
              const outside = mode === 'month' && d.getMonth() !== anchor.getMonth();
              return (
                <div key={dayKey(d)} role="gridcell" className={`day${outside ? ' outside' : ''}${dayKey(d) === today ? ' today' : ''}`} aria-label={`${d.toLocaleDateString(undefined, { dateStyle: 'full' })}: ${items.length} event${items.length === 1 ? '' : 's'}`}>
                  <div className="date" aria-hidden="true">
                    {d.getDate()}
                  </div>
                  {items.map((o) => (
                    <button type="button" key={`${o.key}@${o.start}`} className={`occ${o.cancelled ? ' cancelled' : ''}`} onClick={() => onSelect(o.key)} title={o.summary}>
                      <span className="time">{formatTime(o.start, o.allDay)}</span> {o.summary || '(no title)'}
                    </button>
                  ))}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

/** How many series a note names before "and N more": a short note, the reasons are in its title. */
const NAMED = 3;

/** Says that some occurrences are not shown (a series repeats too often, or its rule could not be worked out). */
function LeftOutNote({ result }: { result: OccurrencesResult }) {
  const { incomplete, incompleteTotal: total } = result;
  if (!total) return null;
  const name = (s: { summary: string }) => `“${s.summary || '(no title)'}”`;
  const more = total - Math.min(NAMED, incomplete.length);
  const text =
    total === 1
      ? `Some occurrences are left out: ${name(incomplete[0])}: ${incomplete[0].reason}.`
      : `Some occurrences are left out for ${total} events: ${incomplete.slice(0, NAMED).map(name).join(', ')}${more > 0 ? ` and ${more} more` : ''} (they repeat too often in this range, or their rules could not be worked out).`;
  return (
    <p className="left-out" role="note" title={incomplete.map((s) => `${s.summary || '(no title)'}: ${s.reason}`).join('\n')}>
      {text}
    </p>
  );
}
