// The agenda: upcoming occurrences from today, grouped by day, with the past collapsed under
// "Earlier". A listbox per section with roving focus: arrow keys, Home/End, Enter opens the details
// of that occurrence (its own date). Long agendas show a first page and "Show more". Text only.
import { useState, type KeyboardEvent } from 'react';
import type { Occurrence } from '../../../../electron/shared/ipc-contract.ts';
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';
import { ChangeBadge } from '../preview/ChangeBadge.tsx';
import { formatTime } from '../preview/format.ts';
import { groupByDay, type DayGroup } from './agenda.ts';

/** Why: a year of a busy calendar is thousands of rows; the first ones are what a person reads. */
export const AGENDA_PAGE = 300;

const dayTitle = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

export interface AgendaProps {
  occurrences: Occurrence[];
  today: Date;
  colourOf: (key: string) => number | undefined;
  /** The event's change since the last sync; undefined after a first sync (no badges then). */
  changeOf?: (key: string) => PreviewEvent['change'] | undefined;
  selected?: { key: string; start?: string };
  onSelect: (key: string, start: string) => void;
}

function optionId(o: Occurrence) {
  return `ag-${o.key}@${o.start}`.replace(/[^A-Za-z0-9_@.-]/g, '_');
}

function DayList({ groups, label, limit, ...p }: Omit<AgendaProps, 'occurrences' | 'today'> & { groups: DayGroup[]; label: string; limit: number }) {
  const [active, setActive] = useState<string>();
  const flat: Occurrence[] = [];
  const shown: DayGroup[] = [];
  for (const g of groups) {
    if (flat.length >= limit) break;
    const items = g.items.slice(0, limit - flat.length);
    flat.push(...items);
    shown.push({ ...g, items });
  }
  const activeId = active && flat.some((o) => optionId(o) === active) ? active : flat[0] && optionId(flat[0]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = flat.findIndex((o) => optionId(o) === activeId);
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: flat.length - 1 }[e.key];
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (flat[i]) p.onSelect(flat[i].key, flat[i].start);
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    const o = flat[Math.max(0, Math.min(flat.length - 1, next))];
    if (!o) return;
    setActive(optionId(o));
    const id = optionId(o);
    [...e.currentTarget.querySelectorAll<HTMLElement>('[role="option"]')].find((el) => el.id === id)?.focus();
  };
  return (
    <div role="listbox" aria-label={label} className="agenda-list" onKeyDown={onKeyDown}>
      {shown.map((g) => (
        <div role="group" key={g.key} aria-label={dayTitle.format(g.date)} className="agenda-day">
          <div className="agenda-date" aria-hidden="true">
            {dayTitle.format(g.date)}
          </div>
          {g.items.map((o) => {
            const id = optionId(o);
            const isSel = p.selected?.key === o.key && p.selected.start === o.start;
            const colour = p.colourOf(o.key);
            return (
              <div
                key={id}
                id={id}
                role="option"
                aria-selected={isSel}
                tabIndex={id === activeId ? 0 : -1}
                className={`agenda-item${isSel ? ' selected' : ''}${o.cancelled ? ' cancelled' : ''}${colour !== undefined ? ` folder-${colour}` : ''}`}
                onClick={() => {
                  setActive(id);
                  p.onSelect(o.key, o.start);
                }}
                onFocus={() => setActive(id)}
              >
                <span className="time">{o.allDay ? 'All day' : `${formatTime(o.start, false)} – ${formatTime(o.end, false)}`}</span>
                <span className="title">
                  {p.changeOf?.(o.key) && <ChangeBadge change={p.changeOf(o.key)!} />}
                  {o.summary || '(no title)'}
                  {o.cancelled ? ' (cancelled)' : ''}
                </span>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}

export function Agenda({ occurrences, today, ...p }: AgendaProps) {
  const [limit, setLimit] = useState(AGENDA_PAGE);
  const { past, upcoming } = groupByDay(occurrences, today);
  const upcomingCount = upcoming.reduce((n, g) => n + g.items.length, 0);
  const pastCount = past.reduce((n, g) => n + g.items.length, 0);
  return (
    <div className="agenda">
      {pastCount > 0 && (
        <details className="agenda-past">
          <summary>
            Earlier ({pastCount} event{pastCount === 1 ? '' : 's'})
          </summary>
          <DayList {...p} groups={past} label="Earlier events" limit={AGENDA_PAGE} />
        </details>
      )}
      {upcomingCount === 0 ? (
        <p className="muted empty">Nothing coming up{pastCount ? '; earlier events are above' : ''}.</p>
      ) : (
        <DayList {...p} groups={upcoming} label="Upcoming events" limit={limit} />
      )}
      {upcomingCount > limit && (
        <button type="button" onClick={() => setLimit(limit + AGENDA_PAGE)}>
          Show more ({upcomingCount - limit} later)
        </button>
      )}
    </div>
  );
}
