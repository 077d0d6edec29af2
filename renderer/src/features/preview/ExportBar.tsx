// "Save a copy…": main shows the save dialog and writes the previewed calendar there. The profile
// keeps its own calendar file and path. A cancelled dialog is not an error, so nothing is shown.
import { useState } from 'react';
import { api, call } from '../../api.ts';

export function ExportBar({ scanId, report }: { scanId: string; report: (err: unknown) => void }) {
  const [path, setPath] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const exportIt = async () => {
    setBusy(true);
    try {
      const r = await call(api().exportCalendar({ scanId }));
      if (r.saved) setPath(r.path);
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export">
      <button type="button" onClick={() => void exportIt()} disabled={busy}>
        Save a copy…
      </button>
      {path && (
        <p className="ok" role="status">
          Copy saved to <code>{path}</code>{' '}
          <button type="button" onClick={() => call(api().showInFolder({ path })).catch(report)}>
            Open folder
          </button>
        </p>
      )}
    </div>
  );
}
