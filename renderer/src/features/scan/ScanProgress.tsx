// Progress of the running scan: folder, messages done of total, calendar parts found so far, and
// Cancel (main stops and changes nothing).
import type { ScanProgress as Progress } from '../../../../electron/shared/ipc-contract.ts';

export function ScanProgress({ progress: p, onCancel }: { progress: Progress | null; onCancel: () => void }) {
  const pct = p && p.total ? Math.min(100, Math.round((100 * p.done) / p.total)) : undefined;
  return (
    <section className="scan-progress" aria-label="Sync">
      <div role="status" aria-live="polite">
        <div>
          <strong>Syncing</strong> {p ? `${p.folder} (folder ${p.folderIndex + 1} of ${p.folderCount}): ${p.done} / ${p.total} messages` : 'connecting…'}
        </div>
        {p && (
          <div className="muted">
            {/* Parts are counted once their structures are read: before that "0 found" would be wrong. */}
            {p.calendarParts > 0 ? `${p.calendarParts} calendar part${p.calendarParts === 1 ? '' : 's'} found` : p.done < p.total ? 'Looking for invitations…' : 'No calendar parts found yet'}
          </div>
        )}
      </div>
      <progress max={100} value={pct} aria-label="Sync progress" aria-valuetext={pct === undefined ? 'starting' : `${pct}%`}>
        {pct ?? 0}%
      </progress>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}
