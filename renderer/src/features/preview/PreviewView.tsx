// The merged calendar before export: list (sortable, searchable, virtualized) or month/week view,
// details of the selected event, skipped items, and export through the native save dialog.
import { useDeferredValue, useMemo, useState } from 'react';
import type { ScanResult } from '../../../../electron/shared/ipc-contract.ts';
import type { Session } from '../../session.ts';
import type { Mode } from './calendar-range.ts';
import { CalendarGrid } from './CalendarGrid.tsx';
import { EventDetails } from './EventDetails.tsx';
import { EventTable } from './EventTable.tsx';
import { ExportBar } from './ExportBar.tsx';
import { compareStart } from './format.ts';
import { SkippedPanel } from './SkippedPanel.tsx';

export function PreviewView({ session, result }: { session: Session; result: ScanResult | null }) {
  const [query, setQuery] = useState('');
  const [sortAsc, setSortAsc] = useState(true);
  const [mode, setMode] = useState<'list' | Mode>('list');
  const [selected, setSelected] = useState<string>();
  const q = useDeferredValue(query.trim().toLowerCase());
  // Lower-cased search text per event, computed once per result rather than per keystroke.
  const haystacks = useMemo(() => (result?.events ?? []).map((e) => `${e.summary}\n${e.location}\n${e.organizer}\n${e.description}`.toLowerCase()), [result]);
  const events = useMemo(() => {
    const all = result?.events ?? [];
    const hit = q ? all.filter((_, i) => haystacks[i].includes(q)) : [...all];
    return hit.sort((a, b) => compareStart(a, b, sortAsc));
  }, [result, haystacks, q, sortAsc]);
  if (!result) return <p className="muted">No scan yet. Open "Profiles and folders" and choose "Scan now" on a profile.</p>;

  const detail = result.events.find((e) => e.key === selected);
  const s = result.summary;
  const counts = { new: 0, updated: 0, cancelled: 0, unchanged: 0 };
  for (const e of result.events) counts[e.change] += 1;

  return (
    <section aria-labelledby="preview-title" className="preview">
      <header className="section-head">
        <h2 id="preview-title">Preview: {result.profile}</h2>
        <ExportBar key={result.scanId} scanId={result.scanId} report={session.report} />
      </header>
      <p className="muted" role="status">
        {s.eventsOut} events from {s.messages} messages ({s.calendarParts} calendar parts) · since the last sync: {counts.new} new, {counts.updated} updated,{' '}
        {counts.cancelled} cancelled, {s.removedSinceLastSync} removed
      </p>
      <div className="toolbar">
        <div className="field search">
          <label htmlFor="preview-search">Search</label>
          <input id="preview-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Summary, location, organizer, description" />
        </div>
        <div role="radiogroup" aria-label="View" className="segmented">
          {(['list', 'month', 'week'] as const).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'current' : ''} onClick={() => setMode(m)}>
              {m[0].toUpperCase() + m.slice(1)}
            </button>
          ))}
        </div>
        {mode === 'list' && <span className="muted">{events.length} shown</span>}
      </div>
      <div className="split">
        {mode === 'list' ? (
          <EventTable events={events} selected={selected} onSelect={setSelected} sortAsc={sortAsc} onSort={() => setSortAsc(!sortAsc)} />
        ) : (
          <CalendarGrid key={mode} scanId={result.scanId} mode={mode} onSelect={setSelected} report={session.report} initial={detail?.start && !detail.allDay ? new Date(detail.start) : undefined} />
        )}
        {detail ? <EventDetails event={detail} /> : <aside className="details muted" aria-label="Event details">Select an event to see its details and source message.</aside>}
      </div>
      <SkippedPanel result={result} />
    </section>
  );
}
