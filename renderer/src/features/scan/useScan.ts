// One scan at a time: starts it with a fresh id, follows its progress events (subscribed while the
// window lives), cancels it, and keeps the last finished result. A cancelled or failed scan leaves
// the previous result in place: main changes nothing either.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ScanProgress, ScanResult } from '../../../../electron/shared/ipc-contract.ts';
import { api, asUiError, call } from '../../api.ts';

export interface ScanState {
  running: string | null;
  progress: ScanProgress | null;
  result: ScanResult | null;
  notice: string | null;
  clearNotice(): void;
  /** Resolves with the new result, or null when the sync was cancelled or failed. */
  start(profile: string, password?: string): Promise<ScanResult | null>;
  cancel(): void;
}

export function useScan(report: (err: unknown) => void): ScanState {
  const [running, setRunning] = useState<string | null>(null);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [result, setResult] = useState<ScanResult | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const current = useRef<string | null>(null);

  useEffect(() => api().onScanProgress((p) => p.scanId === current.current && setProgress(p)), []);

  const start = useCallback(
    async (profile: string, password?: string) => {
      const scanId = crypto.randomUUID();
      current.current = scanId;
      setRunning(scanId);
      setProgress(null);
      setNotice(null);
      try {
        const r = await call(api().runScan({ scanId, profile, ...(password ? { password } : {}) }));
        setResult(r);
        return r;
      } catch (err) {
        const e = asUiError(err);
        if (e.error.code === 'CANCELLED') setNotice('Sync cancelled; nothing was changed.');
        else report(e);
        return null;
      } finally {
        current.current = null;
        setRunning(null);
        setProgress(null);
      }
    },
    [report],
  );

  const cancel = useCallback(() => {
    const scanId = current.current;
    if (scanId) call(api().cancelScan({ scanId })).catch(report);
  }, [report]);

  return { running, progress, result, notice, clearNotice: () => setNotice(null), start, cancel };
}
