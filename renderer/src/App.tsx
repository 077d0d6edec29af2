// The window: navigation, the error region, the keychain banner, the password prompt, and the scan
// that Profiles starts and Preview shows. Talks to main only through api().
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IpcError } from '../../electron/shared/ipc-contract.ts';
import { api, asUiError, call, UiError } from './api.ts';
import { ErrorAlert } from './components/ErrorAlert.tsx';
import { Nav } from './components/Nav.tsx';
import { PasswordPrompt } from './components/PasswordPrompt.tsx';
import { AccountsView } from './features/accounts/AccountsView.tsx';
import { PreviewView } from './features/preview/PreviewView.tsx';
import { ProfilesView } from './features/profiles/ProfilesView.tsx';
import { ScanProgress } from './features/scan/ScanProgress.tsx';
import { useScan } from './features/scan/useScan.ts';
import type { Session } from './session.ts';
import type { AppInfo } from './types.ts';

type View = 'accounts' | 'profiles' | 'preview';

export function App() {
  const [view, setView] = useState<View>('accounts');
  const [info, setInfo] = useState<AppInfo>();
  const [error, setError] = useState<IpcError | null>(null);
  const [prompt, setPrompt] = useState<{ account: string; resolve: (pw: string | undefined) => void } | null>(null);
  // Passwords typed while the keychain is unavailable: memory only, gone when the window closes.
  const typed = useRef(new Map<string, string>());
  const keychainAvailable = info?.keychain.available !== false;

  const report = useCallback((err: unknown) => setError(asUiError(err).error), []);
  const scan = useScan(report);
  useEffect(() => {
    call(api().appInfo({})).then(setInfo, report);
  }, [report]);

  const remember = useCallback((account: string, pw: string) => {
    if (!keychainAvailable) typed.current.set(account, pw);
  }, [keychainAvailable]);
  const passwordFor = useCallback(
    async (account: string, hasPassword: boolean) => {
      if (keychainAvailable && hasPassword) return undefined;
      const known = typed.current.get(account);
      if (known) return known;
      const pw = await new Promise<string | undefined>((resolve) => setPrompt({ account, resolve }));
      setPrompt(null);
      if (pw === undefined) throw new UiError({ code: 'NO_PASSWORD', message: `No password was entered for "${account}".` });
      remember(account, pw);
      return pw;
    },
    [keychainAvailable, remember],
  );
  const session: Session = useMemo(() => ({ info, keychainAvailable, passwordFor, remember, report }), [info, keychainAvailable, passwordFor, remember, report]);

  const startScan = async (profile: string, account: string, hasPassword: boolean) => {
    setError(null);
    let password: string | undefined;
    try {
      password = await passwordFor(account, hasPassword);
    } catch (err) {
      return report(err);
    }
    if (await scan.start(profile, password)) setView('preview');
  };

  const count = scan.result ? ` (${scan.result.events.length})` : '';
  return (
    <div className="app">
      <Nav<View> items={[['accounts', 'Accounts'], ['profiles', 'Profiles and folders'], ['preview', `Preview${count}`]]} current={view} onChange={setView} />
      <main className="content">
        {info && !info.keychain.available && (
          <div className="banner warning" role="status">
            <strong>The system keychain is unavailable</strong>
            {info.keychain.reason ? ` (${info.keychain.reason})` : ''}. Passwords cannot be saved: you will be asked for them every time the app
            starts, and they are kept in memory only.
          </div>
        )}
        {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
        {scan.notice && (
          <div className="banner info" role="status">
            {scan.notice}{' '}
            <button type="button" className="link" onClick={scan.clearNotice}>
              Dismiss
            </button>
          </div>
        )}
        {scan.running && <ScanProgress progress={scan.progress} onCancel={scan.cancel} />}
        {view === 'accounts' && <AccountsView session={session} />}
        {view === 'profiles' && <ProfilesView session={session} scanning={!!scan.running} onScan={(p, a, h) => void startScan(p, a, h)} />}
        {view === 'preview' && <PreviewView session={session} result={scan.result} />}
      </main>
      {prompt && <PasswordPrompt account={prompt.account} onDone={prompt.resolve} />}
    </div>
  );
}
