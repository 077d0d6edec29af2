// The virtualized event list: only the visible rows exist in the DOM, so 20,000 events scroll
// smoothly. Arrow keys move the selection; the header sorts by start. Text is rendered as text.
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';
import { CHANGE_LABEL, formatWhen } from './format.ts';

const ROW = 34;

export function EventTable({ events, selected, onSelect, sortAsc, onSort }: {
  events: PreviewEvent[]; selected?: string; onSelect: (key: string) => void; sortAsc: boolean; onSort: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: events.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const index = events.findIndex((e) => e.key === selected);
  const move = (delta: number) => {
    const next = Math.max(0, Math.min(events.length - 1, (index < 0 ? -1 : index) + delta));
    if (events[next]) {
      onSelect(events[next].key);
      virtual.scrollToIndex(next);
    }
  };
  return (
    <div className="table" role="grid" aria-label="Events" aria-rowcount={events.length + 1}>
      <div className="row head" role="row">
        <button type="button" role="columnheader" className="cell when sort" aria-sort={sortAsc ? 'ascending' : 'descending'} onClick={onSort}>
          Time {sortAsc ? '▲' : '▼'}
        </button>
        <span role="columnheader" className="cell">Summary</span>
        <span role="columnheader" className="cell">Location</span>
        <span role="columnheader" className="cell">Organizer</span>
        <span role="columnheader" className="cell">Folder</span>
      </div>
      <div
        ref={scroller}
        className="rows"
        tabIndex={0}
        aria-label="Event rows: use the arrow keys to move"
        aria-activedescendant={selected ? `ev-${index}` : undefined}
        onKeyDown={(e) => {
          const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 15, PageUp: -15, Home: -events.length, End: events.length };
          if (e.key in step) {
            e.preventDefault();
            move(step[e.key]);
          }
        }}
      >
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((v) => {
            const ev = events[v.index];
            return (
              <div
                key={ev.key}
                id={`ev-${v.index}`}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={ev.key === selected}
                className={`row${ev.key === selected ? ' selected' : ''}${ev.cancelled ? ' cancelled' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}
                onClick={() => onSelect(ev.key)}
              >
                <span role="gridcell" className="cell when">{formatWhen(ev)}</span>
                <span role="gridcell" className="cell">
                  {CHANGE_LABEL[ev.change] && <span className={`badge ${ev.change}`}>{CHANGE_LABEL[ev.change]}</span>}
                  {ev.recurring && <span className="badge series" title="Recurring">↻</span>}
                  {ev.summary || '(no title)'}
                </span>
                <span role="gridcell" className="cell">{ev.location}</span>
                <span role="gridcell" className="cell">{ev.organizer}</span>
                <span role="gridcell" className="cell">{ev.source.folder}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
