// Progress of the running scan: folder, messages done of total, with Cancel (nothing changes).
import type { ScanProgress as Progress } from '../../../../electron/shared/ipc-contract.ts';

export function ScanProgress({ progress: p, onCancel }: { progress: Progress | null; onCancel: () => void }) {
  const pct = p && p.total ? Math.round((100 * p.done) / p.total) : undefined;
  return (
    <div className="scan-progress" role="status" aria-live="polite">
      <div>
        <strong>Scanning</strong>{' '}
        {p ? `${p.folder} (folder ${p.folderIndex + 1} of ${p.folderCount}): ${p.done} / ${p.total} messages` : 'connecting…'}
      </div>
      <progress max={100} value={pct} aria-label="Scan progress">
        {pct ?? 0}%
      </progress>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
