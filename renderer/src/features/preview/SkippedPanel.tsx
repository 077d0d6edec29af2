// What was not taken into the calendar, and why; plus warnings (taken in with a caveat). Folder,
// subject and reason may quote mail content: text only.
import type { ScanResult } from '../../../../electron/shared/ipc-contract.ts';

export function SkippedPanel({ result }: { result: ScanResult }) {
  const where = (folder: string, uid?: number) => `${folder}${uid !== undefined ? ` UID ${uid}` : ''}`;
  return (
    <details className="skipped">
      <summary>
        Skipped ({result.skipped.length}) · Warnings ({result.warnings.length})
      </summary>
      {result.skipped.length + result.warnings.length === 0 && <p className="muted">Nothing was skipped.</p>}
      {result.skipped.length > 0 && (
        <ul aria-label="Skipped items">
          {result.skipped.map((s, i) => (
            <li key={i}>
              <strong>{where(s.folder, s.uid)}</strong>
              {s.subject ? ` "${s.subject}"` : ''}: {s.reason}
              {s.section ? ` (MIME part ${s.section})` : ''}
            </li>
          ))}
        </ul>
      )}
      {result.warnings.length > 0 && (
        <ul aria-label="Warnings">
          {result.warnings.map((w, i) => (
            <li key={i}>
              <strong>{where(w.folder, w.uid)}</strong>: {w.message}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
