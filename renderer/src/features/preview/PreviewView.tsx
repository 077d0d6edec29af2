// The merged calendar before export: list (sortable, searchable) or month/week view, details of the
// selected event, skipped items, and one-click export through the native save dialog.
import { useDeferredValue, useMemo, useState } from 'react';
import type { ScanResult } from '../../../../electron/shared/ipc-contract.ts';
import { api, call } from '../../api.ts';
import type { Session } from '../../App.tsx';
import { CalendarGrid, type Mode } from './CalendarGrid.tsx';
import { EventDetails } from './EventDetails.tsx';
import { EventTable } from './EventTable.tsx';
import { SkippedPanel } from './SkippedPanel.tsx';

export function PreviewView({ session, result }: { session: Session; result: ScanResult | null }) {
  const [query, setQuery] = useState('');
  const [sortAsc, setSortAsc] = useState(true);
  const [mode, setMode] = useState<'list' | Mode>('list');
  const [selected, setSelected] = useState<string>();
  const [exported, setExported] = useState<string | null>(null);
  const q = useDeferredValue(query.trim().toLowerCase());
  const events = useMemo(() => {
    const all = result?.events ?? [];
    const hit = q ? all.filter((e) => `${e.summary}\n${e.location}\n${e.organizer}\n${e.description}`.toLowerCase().includes(q)) : all;
    const dir = sortAsc ? 1 : -1;
    return [...hit].sort((a, b) => dir * ((a.start ?? '') < (b.start ?? '') ? -1 : (a.start ?? '') > (b.start ?? '') ? 1 : a.key < b.key ? -1 : 1));
  }, [result, q, sortAsc]);
  if (!result) return <p className="muted">No scan yet. Open "Profiles and folders" and choose "Scan now".</p>;
  const detail = result.events.find((e) => e.key === selected);
  const s = result.summary;
  const counts = { new: 0, updated: 0, cancelled: 0 } as Record<string, number>;
  for (const e of result.events) if (e.change in counts) counts[e.change] += 1;

  const exportIt = async () => {
    try {
      const r = await call(api().exportCalendar({ scanId: result.scanId }));
      if (r.saved) setExported(r.path);
    } catch (err) {
      session.report(err);
    }
  };

  return (
    <section aria-labelledby="preview-title" className="preview">
      <header className="section-head">
        <h2 id="preview-title">Preview: {result.profile}</h2>
        <button type="button" className="primary" onClick={() => void exportIt()}>Export .ics</button>
      </header>
      <p className="muted" role="status">
        {s.eventsOut} events from {s.messages} messages ({s.calendarParts} calendar parts) · since the last sync: {counts.new} new, {counts.updated} updated, {counts.cancelled} cancelled, {s.removedSinceLastSync} removed
      </p>
      {exported && (
        <p className="ok" role="status">
          Saved to <code>{exported}</code>{' '}
          <button type="button" onClick={() => call(api().showInFolder({ path: exported })).catch(session.report)}>Open folder</button>
        </p>
      )}
      <div className="toolbar">
        <label>
          Search
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Summary, location, organizer, description" />
        </label>
        <div role="radiogroup" aria-label="View" className="segmented">
          {(['list', 'month', 'week'] as const).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'current' : ''} onClick={() => setMode(m)}>
              {m[0].toUpperCase() + m.slice(1)}
            </button>
          ))}
        </div>
        <span className="muted">{events.length} shown</span>
      </div>
      <div className="split">
        {mode === 'list' ? (
          <EventTable events={events} selected={selected} onSelect={setSelected} sortAsc={sortAsc} onSort={() => setSortAsc(!sortAsc)} />
        ) : (
          <CalendarGrid scanId={result.scanId} mode={mode} onSelect={setSelected} report={session.report} />
        )}
        {detail ? <EventDetails event={detail} /> : <aside className="details muted">Select an event to see its details and source message.</aside>}
      </div>
      <SkippedPanel result={result} />
    </section>
  );
}
