// What was not taken into the calendar, and why; plus warnings (taken in with a caveat).
import type { ScanResult } from '../../../../electron/shared/ipc-contract.ts';

export function SkippedPanel({ result }: { result: ScanResult }) {
  return (
    <details className="skipped">
      <summary>
        Skipped ({result.skipped.length}) · Warnings ({result.warnings.length})
      </summary>
      {result.skipped.length > 0 && (
        <ul aria-label="Skipped items">
          {result.skipped.map((s, i) => (
            <li key={i}>
              <strong>{s.folder}{s.uid !== undefined ? ` UID ${s.uid}` : ''}</strong>
              {s.subject ? ` "${s.subject}"` : ''}: {s.reason}
            </li>
          ))}
        </ul>
      )}
      {result.warnings.length > 0 && (
        <ul aria-label="Warnings">
          {result.warnings.map((w, i) => (
            <li key={i}>
              <strong>{w.folder}{w.uid !== undefined ? ` UID ${w.uid}` : ''}</strong>: {w.message}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
