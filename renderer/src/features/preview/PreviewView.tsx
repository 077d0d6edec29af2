// The calendar, home of the window: the profile's status strip and "Sync now", then the merged
// calendar as an agenda (default), month, week or a searchable list; details of the clicked
// occurrence beside it (a drawer when the window is narrow); skipped items; "Save a copy…".
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { Occurrence, ScanResult, SyncStatus } from '../../../../electron/shared/ipc-contract.ts';
import { api, call } from '../../api.ts';
import type { Session } from '../../session.ts';
import type { ProfileView } from '../../types.ts';
import { Agenda } from '../calendar/Agenda.tsx';
import { folderColours } from '../calendar/folder-colours.ts';
import { StatusStrip } from '../scan/StatusStrip.tsx';
import type { Mode } from './calendar-range.ts';
import { CalendarGrid } from './CalendarGrid.tsx';
import { EventDetails } from './EventDetails.tsx';
import { EventTable } from './EventTable.tsx';
import { ExportBar } from './ExportBar.tsx';
import { compareStart } from './format.ts';
import { SkippedPanel } from './SkippedPanel.tsx';

export type ViewMode = 'agenda' | 'list' | Mode;
const MODES: Array<[ViewMode, string]> = [['agenda', 'Agenda'], ['month', 'Month'], ['week', 'Week'], ['list', 'List']];
const DAY = 86_400_000;
/** The agenda asks main for this window around today (main answers at most 400 days). */
const AGENDA_PAST_DAYS = 60;
const AGENDA_FUTURE_DAYS = 330;

export interface SyncControls {
  status?: SyncStatus;
  syncing: boolean;
  onSync: () => void;
  onToggleSchedule: (on: boolean) => void;
  onCopyFeedLink: () => Promise<boolean>;
}

export function PreviewView({ session, result, profile, sync, today: fixedToday, initialMode = 'agenda' }: {
  session: Session; result: ScanResult | null; profile?: ProfileView; sync?: SyncControls; today?: Date; initialMode?: ViewMode;
}) {
  const [query, setQuery] = useState('');
  const [sortAsc, setSortAsc] = useState(true);
  const [mode, setMode] = useState<ViewMode>(initialMode);
  const [selected, setSelected] = useState<{ key: string; start?: string }>();
  const [upcoming, setUpcoming] = useState<Occurrence[]>([]);
  const [copied, setCopied] = useState(false);
  const today = useMemo(() => fixedToday ?? new Date(), [fixedToday]);
  const q = useDeferredValue(query.trim().toLowerCase());
  const { report } = session;
  // Lower-cased search text per event, computed once per result rather than per keystroke.
  const haystacks = useMemo(() => (result?.events ?? []).map((e) => `${e.summary}\n${e.location}\n${e.organizer}\n${e.description}`.toLowerCase()), [result]);
  const events = useMemo(() => {
    const all = result?.events ?? [];
    const hit = q ? all.filter((_, i) => haystacks[i].includes(q)) : [...all];
    return hit.sort((a, b) => compareStart(a, b, sortAsc));
  }, [result, haystacks, q, sortAsc]);
  const byKey = useMemo(() => new Map((result?.events ?? []).map((e) => [e.key, e])), [result]);
  const colours = useMemo(() => folderColours((result?.events ?? []).map((e) => e.source.folder)), [result]);
  const scanId = result?.scanId;
  useEffect(() => {
    if (!scanId) return;
    let live = true;
    const start = new Date(today.getFullYear(), today.getMonth(), today.getDate());
    const from = new Date(start.getTime() - AGENDA_PAST_DAYS * DAY);
    const to = new Date(start.getTime() + AGENDA_FUTURE_DAYS * DAY);
    call(api().previewOccurrences({ scanId, from: from.toISOString(), to: to.toISOString() })).then((r) => live && setUpcoming(r.occurrences), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [scanId, today, report]);

  const status = sync?.status;
  const head = (
    <header className="section-head">
      <h2 id="preview-title">Calendar{profile ? `: ${profile.name}` : ''}</h2>
      {sync && (
        <div className="head-actions">
          <button type="button" className="primary" onClick={sync.onSync} disabled={sync.syncing}>
            {sync.syncing ? 'Syncing…' : 'Sync now'}
          </button>
          {result && <ExportBar key={result.scanId} scanId={result.scanId} report={report} />}
        </div>
      )}
      {!sync && result && <ExportBar key={result.scanId} scanId={result.scanId} report={report} />}
    </header>
  );
  const strip = status && (
    <StatusStrip
      status={status}
      copied={copied}
      onToggleSchedule={sync!.onToggleSchedule}
      onCopyFeedLink={() => void sync!.onCopyFeedLink().then(setCopied)}
    />
  );
  if (!result) {
    return (
      <section aria-labelledby="preview-title" className="preview">
        {head}
        {strip}
        <div className="empty-state">
          <p>{profile ? `"${profile.name}" has not been synced in this window yet. Sync it to see its calendar and write ${profile.profile.output}.` : 'No calendar yet.'}</p>
          {sync && (
            <button type="button" className="primary" onClick={sync.onSync} disabled={sync.syncing}>
              Sync now
            </button>
          )}
        </div>
      </section>
    );
  }

  const detail = selected ? byKey.get(selected.key) : undefined;
  const s = result.summary;
  const counts = { new: 0, updated: 0, cancelled: 0, unchanged: 0 };
  for (const e of result.events) counts[e.change] += 1;
  const showChange = !result.firstSync;
  const colourOfKey = (key: string) => {
    const e = byKey.get(key);
    return e ? colours.get(e.source.folder) : undefined;
  };
  const startOfToday = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime();
  const firstUpcoming = upcoming.find((o) => Date.parse(o.end) > startOfToday);
  const lastPast = [...upcoming].reverse().find((o) => Date.parse(o.start) < startOfToday);
  const latestEvent = [...result.events].filter((e) => e.start).sort((a, b) => compareStart(a, b, false))[0];
  // The month and week views open on the nearest period with events, not on an empty today.
  const nearest = firstUpcoming ? new Date(firstUpcoming.start) : lastPast ? new Date(lastPast.start) : latestEvent?.start ? new Date(latestEvent.start) : today;
  const nextEventAfter = (t: Date) => {
    const o = upcoming.find((x) => Date.parse(x.start) >= t.getTime());
    return o ? new Date(o.start) : undefined;
  };
  const removedNote = profile?.profile.cancelled !== 'keep' ? ' (this profile leaves cancelled events out, so a cancellation counts here)' : '';

  return (
    <section aria-labelledby="preview-title" className="preview">
      {head}
      {strip}
      <p className="muted summary-line" role="status">
        {s.eventsOut} events from {s.messages} messages ({s.calendarParts} calendar parts)
        {result.firstSync
          ? ' · first sync: changes are shown from the next one on'
          : ` · since the last sync: ${counts.new} new, ${counts.updated} updated, ${counts.cancelled} cancelled, ${s.removedSinceLastSync} removed${s.removedSinceLastSync ? removedNote : ''}`}
      </p>
      <div className="toolbar">
        <div role="radiogroup" aria-label="View" className="segmented">
          {MODES.map(([m, label]) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'current' : ''} onClick={() => setMode(m)}>
              {label}
            </button>
          ))}
        </div>
        {mode === 'list' && (
          <>
            <div className="field search">
              <label htmlFor="preview-search">Search</label>
              <input id="preview-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Summary, location, organizer, description" />
            </div>
            <span className="muted">{events.length} shown</span>
          </>
        )}
      </div>
      <div className={`split${detail ? ' with-details' : ''}`}>
        <div className="main-view">
          {mode === 'agenda' && <Agenda occurrences={upcoming} today={today} colourOf={colourOfKey} changeOf={showChange ? (k) => byKey.get(k)?.change : undefined} selected={selected} onSelect={(key, start) => setSelected({ key, start })} />}
          {mode === 'list' && (
            <EventTable events={events} selected={selected?.key} onSelect={(key) => setSelected({ key })} sortAsc={sortAsc} onSort={() => setSortAsc(!sortAsc)} showChange={showChange} colourOf={(f) => colours.get(f)} />
          )}
          {(mode === 'month' || mode === 'week') && (
            <CalendarGrid
              key={`${mode}-${result.scanId}`}
              scanId={result.scanId}
              mode={mode}
              onSelect={(key, start) => setSelected({ key, start })}
              report={report}
              initial={selected?.start ? new Date(selected.start) : nearest}
              colourOf={colourOfKey}
              nextEventAfter={nextEventAfter}
              selected={selected}
            />
          )}
        </div>
        {detail && (
          <EventDetails
            key={`${detail.key}@${selected?.start ?? ''}`}
            event={detail}
            occurrenceStart={selected?.start}
            showChange={showChange}
            colour={colours.get(detail.source.folder)}
            onClose={() => setSelected(undefined)}
          />
        )}
      </div>
      {colours.size > 1 && (
        <ul className="legend" aria-label="Folder colours">
          {[...colours].map(([f, c]) => (
            <li key={f} className={`folder-${c}`}>
              {f}
            </li>
          ))}
        </ul>
      )}
      <SkippedPanel result={result} />
    </section>
  );
}
