// The window: navigation, the error region, the keychain banner, the password prompt and the scan
// that Profiles starts and Preview shows. Talks to main only through api().
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Response, ScanProgress as Progress, ScanResult } from '../../electron/shared/ipc-contract.ts';
import { api, asUiError, call, UiError } from './api.ts';
import { ErrorAlert } from './components/ErrorAlert.tsx';
import { PasswordPrompt } from './components/PasswordPrompt.tsx';
import { AccountsView } from './features/accounts/AccountsView.tsx';
import { ProfilesView } from './features/profiles/ProfilesView.tsx';
import { PreviewView } from './features/preview/PreviewView.tsx';
import { ScanProgress } from './features/scan/ScanProgress.tsx';

type View = 'accounts' | 'profiles' | 'preview';
type AppInfo = Response<'app:info'>;

export interface Session {
  info?: AppInfo;
  /** A password for this account for this call: undefined means "use the keychain". Asks if needed. */
  passwordFor(accountName: string, hasPassword: boolean): Promise<string | undefined>;
  report(err: unknown): void;
}

export function App() {
  const [view, setView] = useState<View>('accounts');
  const [info, setInfo] = useState<AppInfo>();
  const [error, setError] = useState<UiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<{ account: string; resolve: (pw: string | undefined) => void } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [scanId, setScanId] = useState<string | null>(null);
  const [result, setResult] = useState<ScanResult | null>(null);
  const typed = useRef(new Map<string, string>());
  const scanIdRef = useRef<string | null>(null);

  const report = useCallback((err: unknown) => setError(asUiError(err)), []);
  useEffect(() => {
    call(api().appInfo({})).then(setInfo, report);
  }, [report]);
  useEffect(() => api().onScanProgress((p) => setProgress((cur) => (p.scanId === scanIdRef.current ? p : cur))), []);

  const passwordFor = useCallback(
    async (account: string, hasPassword: boolean) => {
      if (info?.keychain.available !== false && hasPassword) return undefined;
      const known = typed.current.get(account);
      if (known) return known;
      const pw = await new Promise<string | undefined>((resolve) => setPrompt({ account, resolve }));
      setPrompt(null);
      if (pw === undefined) throw new UiError({ code: 'NO_PASSWORD', message: `No password entered for "${account}".` });
      // Kept in memory for this session only, never stored, when the keychain cannot hold it.
      if (info?.keychain.available === false) typed.current.set(account, pw);
      return pw;
    },
    [info],
  );
  const session: Session = { info, passwordFor, report };

  const startScan = async (profile: string, account: string, hasPassword: boolean) => {
    setError(null);
    setNotice(null);
    let password: string | undefined;
    try {
      password = await passwordFor(account, hasPassword);
    } catch (err) {
      return report(err);
    }
    const id = crypto.randomUUID();
    scanIdRef.current = id;
    setScanId(id);
    setProgress(null);
    try {
      const r = await call(api().runScan({ scanId: id, profile, ...(password ? { password } : {}) }));
      setResult(r);
      setView('preview');
    } catch (err) {
      const e = asUiError(err);
      if (e.error.code === 'CANCELLED') setNotice('Scan cancelled; nothing was changed.');
      else report(e);
    } finally {
      scanIdRef.current = null;
      setScanId(null);
    }
  };

  const nav: Array<[View, string]> = [['accounts', 'Accounts'], ['profiles', 'Profiles and folders'], ['preview', 'Preview']];
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Sections">
        <h1 className="brand">mailbox2ics</h1>
        <ul>
          {nav.map(([v, label]) => (
            <li key={v}>
              <button type="button" className={view === v ? 'nav current' : 'nav'} aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)}>
                {label}
                {v === 'preview' && result ? ` (${result.events.length})` : ''}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {info && !info.keychain.available && (
          <div className="banner warning" role="status">
            The system keychain is not available ({info.keychain.reason ?? 'no Secret Service'}). Passwords are not saved: you will be asked for them
            every time.
          </div>
        )}
        {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
        {notice && (
          <div className="banner info" role="status">
            {notice}{' '}
            <button type="button" className="link" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </div>
        )}
        {scanId && <ScanProgress progress={progress} onCancel={() => void call(api().cancelScan({ scanId })).catch(report)} />}
        {view === 'accounts' && <AccountsView session={session} />}
        {view === 'profiles' && <ProfilesView session={session} scanning={!!scanId} onScan={startScan} />}
        {view === 'preview' && <PreviewView session={session} result={result} />}
      </main>
      {prompt && <PasswordPrompt account={prompt.account} onDone={prompt.resolve} />}
    </div>
  );
}
