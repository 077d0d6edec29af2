// The virtualized event list: only the visible rows exist in the DOM, so 20,000 events scroll
// smoothly. Arrow keys, Page Up/Down, Home/End move the selection; the Time header sorts. Text only.
import { useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';
import { ChangeBadge } from './ChangeBadge.tsx';
import { formatSpan } from './format.ts';

const ROW = 34;
const PAGE = 15;

export function EventTable({ events, selected, onSelect, sortAsc, onSort, showChange = true, colourOf }: {
  events: PreviewEvent[]; selected?: string; onSelect: (key: string, open: boolean) => void; sortAsc: boolean; onSort: () => void;
  /** False after a profile's first sync: every event would be "new". */
  showChange?: boolean;
  colourOf?: (folder: string) => number | undefined;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // useFlushSync off: React 19 batches scroll updates well, and flushSync inside its layout effects only warns.
  const virtual = useVirtualizer({ count: events.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10, getItemKey: (i) => events[i].key, useFlushSync: false });
  const index = selected === undefined ? -1 : events.findIndex((e) => e.key === selected);
  const items = virtual.getVirtualItems();
  // Only a row that exists in the DOM may be the active descendant (virtualized rows come and go).
  const activeRendered = index >= 0 && items.some((v) => v.index === index);

  const moveTo = (i: number) => {
    const next = Math.max(0, Math.min(events.length - 1, i));
    if (!events[next]) return;
    onSelect(events[next].key, false);
    virtual.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // Keys on the header's sort button are the button's own.
    if (e.target !== e.currentTarget) return;
    const at = index < 0 ? -1 : index;
    const target: Record<string, number> = {
      ArrowDown: at + 1, ArrowUp: Math.max(at - 1, 0), PageDown: at + PAGE, PageUp: Math.max(at - PAGE, 0), Home: 0, End: events.length - 1, Enter: Math.max(at, 0), ' ': Math.max(at, 0),
    };
    if (!(e.key in target)) return;
    e.preventDefault();
    if ((e.key === 'Enter' || e.key === ' ') && index >= 0) return onSelect(events[index].key, true);
    moveTo(target[e.key]);
  };

  return (
    <>
    <div
      ref={scroller}
      // The grid is the scroll box too, so the focusable element is the one that scrolls (axe: scrollable-region-focusable).
      className="table rows"
      role="grid"
      aria-label="Events"
      aria-rowcount={events.length + 1}
      // The grid holds the focus and points at the selected row (a row group may not).
      tabIndex={events.length ? 0 : undefined}
      aria-activedescendant={activeRendered ? `ev-row-${index}` : undefined}
      onKeyDown={onKeyDown}
      aria-describedby="ev-keys"
    >
      <span id="ev-keys" className="sr-only">
        Arrow keys move, Home and End jump, Enter opens the details.
      </span>
      <div className="row head" role="row" aria-rowindex={1}>
        <div role="columnheader" className="cell when" aria-sort={sortAsc ? 'ascending' : 'descending'}>
          <button type="button" className="sort" onClick={onSort} title={`Sorted by start, ${sortAsc ? 'earliest' : 'latest'} first: activate to reverse`}>
            Time <span aria-hidden="true">{sortAsc ? '▲' : '▼'}</span>
          </button>
        </div>
        <div role="columnheader" className="cell">Summary</div>
        <div role="columnheader" className="cell">Location</div>
        <div role="columnheader" className="cell opt">Organizer</div>
        <div role="columnheader" className="cell opt">Folder</div>
      </div>
      {/* An empty row group is not allowed: without rows there is none. */}
      {events.length > 0 && (
      <div role="rowgroup">
        <div className="sizer" style={{ height: virtual.getTotalSize() }}>
          {items.map((v) => {
            const ev = events[v.index];
            const isSel = v.index === index;
            return (
              <div
                key={v.key}
                id={`ev-row-${v.index}`}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSel}
                className={`row${isSel ? ' selected' : ''}${ev.cancelled ? ' cancelled' : ''}`}
                style={{ height: ROW, transform: `translateY(${v.start}px)` }}
                onClick={() => onSelect(ev.key, true)}
              >
                <span role="gridcell" className="cell when">{formatSpan(ev)}</span>
                <span role="gridcell" className="cell" title={ev.summary}>
                  {showChange && <ChangeBadge change={ev.change} />}
                  {ev.recurring && <span className="series" title="Recurring">↻ </span>}
                  {ev.summary || '(no title)'}
                </span>
                <span role="gridcell" className="cell" title={ev.location}>{ev.location}</span>
                <span role="gridcell" className="cell opt" title={ev.organizer}>{ev.organizer}</span>
                <span role="gridcell" className={`cell opt folder-cell${colourOf?.(ev.source.folder) !== undefined ? ` folder-${colourOf(ev.source.folder)}` : ''}`} title={ev.source.folder}>{ev.source.folder}</span>
              </div>
            );
          })}
        </div>
      </div>
      )}
    </div>
      {events.length === 0 && <p className="muted empty">No events match.</p>}
    </>
  );
}
