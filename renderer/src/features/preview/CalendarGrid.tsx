// Month or week view: a grid of days filled with the occurrences main expands for the visible range
// (series, overrides and exceptions included; a note names what was left out). Days are local time.
// Opens where the caller says (the nearest period with events); jumps to a date or the next event.
// Roving focus over the days: arrows, Home/End (week), Page Up/Down (period); Enter opens a day's event.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Occurrence, OccurrencesResult } from '../../../../electron/shared/ipc-contract.ts';
import { api, call } from '../../api.ts';
import { dayKey, occurrenceDay, rangeFor, shiftAnchor, type Mode } from './calendar-range.ts';
import { formatTime } from './format.ts';

const WEEKDAYS = Array.from({ length: 7 }, (_, i) => new Date(2024, 0, 1 + i).toLocaleDateString(undefined, { weekday: 'short' }));
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });

const sameDay = (a: Date, b: Date) => dayKey(a) === dayKey(b);
const addDays = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);

export function CalendarGrid({ scanId, mode, onSelect, report, initial, colourOf, nextEventAfter, selected }: {
  scanId: string; mode: Mode; onSelect: (key: string, start: string) => void; report: (e: unknown) => void; initial?: Date;
  colourOf?: (key: string) => number | undefined;
  /** The first occurrence starting on or after this instant, if any is known. */
  nextEventAfter?: (t: Date) => Date | undefined;
  selected?: { key: string; start?: string };
}) {
  const [anchor, setAnchor] = useState(() => initial ?? new Date());
  const [focusDay, setFocusDay] = useState<Date>(() => initial ?? new Date());
  const [result, setResult] = useState<OccurrencesResult>({ occurrences: [], incomplete: [], incompleteTotal: 0 });
  const { days, from, to } = useMemo(() => rangeFor(mode, anchor), [mode, anchor]);
  const grid = useRef<HTMLDivElement>(null);
  const wantFocus = useRef(false);
  useEffect(() => {
    let live = true; // a late answer for a range no longer shown is dropped
    call(api().previewOccurrences({ scanId, from: from.toISOString(), to: to.toISOString() })).then((r) => live && setResult(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [scanId, from, to, report]);
  useEffect(() => {
    if (!wantFocus.current) return;
    wantFocus.current = false;
    grid.current?.querySelector<HTMLElement>('[role="gridcell"][tabindex="0"]')?.focus();
  });

  const byDay = new Map<string, Occurrence[]>();
  for (const o of result.occurrences) {
    const k = occurrenceDay(o.start, o.allDay);
    byDay.set(k, [...(byDay.get(k) ?? []), o]);
  }
  const today = dayKey(new Date());
  const title = mode === 'month' ? anchor.toLocaleDateString(undefined, { month: 'long', year: 'numeric' }) : `Week of ${days[0].toLocaleDateString(undefined, { dateStyle: 'medium' })}`;
  const weeks = Array.from({ length: days.length / 7 }, (_, w) => days.slice(w * 7, w * 7 + 7));
  const inView = (d: Date) => days.some((x) => sameDay(x, d));
  const focused = inView(focusDay) ? focusDay : days.find((d) => mode === 'week' || d.getMonth() === anchor.getMonth()) ?? days[0];

  const goTo = (d: Date, focus = false) => {
    setAnchor(mode === 'month' ? new Date(d.getFullYear(), d.getMonth(), 1) : d);
    setFocusDay(d);
    wantFocus.current = focus;
  };
  const next = nextEventAfter?.(to);

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target.classList.contains('occ')) {
      // Inside a day: up and down between its events, Escape back to the day.
      const chips = [...(target.parentElement?.querySelectorAll<HTMLElement>('.occ') ?? [])];
      const i = chips.indexOf(target);
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        chips[Math.max(0, Math.min(chips.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        target.closest<HTMLElement>('[role="gridcell"]')?.focus();
      }
      return;
    }
    const dow = (focused.getDay() + 6) % 7;
    const moves: Record<string, () => Date> = {
      ArrowRight: () => addDays(focused, 1), ArrowLeft: () => addDays(focused, -1), ArrowDown: () => addDays(focused, 7), ArrowUp: () => addDays(focused, -7),
      Home: () => addDays(focused, -dow), End: () => addDays(focused, 6 - dow),
      PageDown: () => (mode === 'month' ? new Date(focused.getFullYear(), focused.getMonth() + 1, Math.min(focused.getDate(), 28)) : addDays(focused, 7)),
      PageUp: () => (mode === 'month' ? new Date(focused.getFullYear(), focused.getMonth() - 1, Math.min(focused.getDate(), 28)) : addDays(focused, -7)),
    };
    if (e.key === 'Enter' || e.key === ' ') {
      const items = byDay.get(dayKey(focused)) ?? [];
      if (!items.length) return;
      e.preventDefault();
      if (items.length === 1) onSelect(items[0].key, items[0].start);
      else target.querySelector<HTMLElement>('.occ')?.focus();
      return;
    }
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const d = move();
    if (inView(d) && (mode === 'week' || d.getMonth() === anchor.getMonth())) {
      setFocusDay(d);
      wantFocus.current = true;
    } else goTo(d, true);
  };

  return (
    <div className={`calendar ${mode}`}>
      <div className="toolbar cal-nav">
        <button type="button" onClick={() => goTo(shiftAnchor(mode, anchor, -1))}>
          <span aria-hidden="true">‹ </span>Previous {mode}
        </button>
        <button type="button" onClick={() => goTo(new Date())}>
          Today
        </button>
        <button type="button" onClick={() => goTo(shiftAnchor(mode, anchor, 1))}>
          Next {mode}<span aria-hidden="true"> ›</span>
        </button>
        <button type="button" disabled={!next} onClick={() => next && goTo(next)}>
          Next event
        </button>
        <label className="inline jump">
          Go to date
          <input
            type="date"
            onChange={(e) => {
              const [y, m, d] = e.target.value.split('-').map(Number);
              if (y && m && d) goTo(new Date(y, m - 1, d));
            }}
          />
        </label>
        <h3 aria-live="polite">{title}</h3>
      </div>
      <LeftOutNote result={result} />
      <div className="days" role="grid" aria-label={title} ref={grid} onKeyDown={onKeyDown}>
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
              const isFocus = sameDay(d, focused);
              return (
                <div
                  key={dayKey(d)}
                  role="gridcell"
                  tabIndex={isFocus ? 0 : -1}
                  aria-current={dayKey(d) === today ? 'date' : undefined}
                  onFocus={() => !isFocus && setFocusDay(d)}
                  className={`day${outside ? ' outside' : ''}${dayKey(d) === today ? ' today' : ''}`}
                >
                  <div className="date" aria-hidden="true">
                    {d.getDate()}
                  </div>
                  {/* The cell's name comes from its content: the full date for screen readers, then the events. */}
                  <span className="sr-only">{`${fullDate.format(d)}: ${items.length ? `${items.length} event${items.length === 1 ? '' : 's'}` : 'no events'}`}</span>
                  {items.map((o) => {
                    const colour = colourOf?.(o.key);
                    const isSel = selected?.key === o.key && selected.start === o.start;
                    return (
                      <button
                        type="button"
                        tabIndex={-1}
                        key={`${o.key}@${o.start}`}
                        className={`occ${o.cancelled ? ' cancelled' : ''}${colour !== undefined ? ` folder-${colour}` : ''}${isSel ? ' selected' : ''}`}
                        onClick={() => onSelect(o.key, o.start)}
                        title={`${formatTime(o.start, o.allDay)} ${o.summary}`}
                      >
                        <span className="time">{formatTime(o.start, o.allDay)}</span> <span className="title">{o.summary || '(no title)'}</span>
                      </button>
                    );
                  })}
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
