// The window: a sticky sidebar (Calendar, Profiles, Accounts), the error region, the keychain
// banner, the password prompt and the sync in progress. Home is the calendar; with no profile yet
// it is the guided first run. Talks to main only through api().
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IpcError, ScanResult, SyncStatus } from '../../electron/shared/ipc-contract.ts';
import { api, asUiError, call, UiError } from './api.ts';
import { ErrorAlert } from './components/ErrorAlert.tsx';
import { Nav } from './components/Nav.tsx';
import { PasswordPrompt } from './components/PasswordPrompt.tsx';
import { AccountsView } from './features/accounts/AccountsView.tsx';
import { PreviewView } from './features/preview/PreviewView.tsx';
import { ProfilesView } from './features/profiles/ProfilesView.tsx';
import { ScanProgress } from './features/scan/ScanProgress.tsx';
import { useScan } from './features/scan/useScan.ts';
import { FirstRun } from './features/setup/FirstRun.tsx';
import type { Session } from './session.ts';
import type { AccountView, AppInfo, ProfileView } from './types.ts';

type View = 'calendar' | 'profiles' | 'accounts';
/** Why 30 s: the strip's "next run" and the schedule's results stay current without busy polling. */
const STATUS_REFRESH_MS = 30_000;

export function App() {
  const [view, setView] = useState<View>('calendar');
  const [info, setInfo] = useState<AppInfo>();
  const [error, setError] = useState<IpcError | null>(null);
  const [prompt, setPrompt] = useState<{ account: string; resolve: (pw: string | undefined) => void } | null>(null);
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  const [profiles, setProfiles] = useState<ProfileView[] | null>(null);
  const [statuses, setStatuses] = useState<SyncStatus[]>([]);
  const [current, setCurrent] = useState<string>();
  const [results, setResults] = useState<Record<string, ScanResult>>({});
  /** The guided first run: from a start with no profile until its first "Sync now". */
  const [setup, setSetup] = useState(false);
  // Passwords typed while the keychain is unavailable: memory only, gone when the window closes.
  const typed = useRef(new Map<string, string>());
  const keychainAvailable = info?.keychain.available !== false;

  const report = useCallback((err: unknown) => setError(asUiError(err).error), []);
  const scan = useScan(report);
  const refreshStatus = useCallback(() => call(api().syncStatus({})).then(setStatuses, report), [report]);
  const reload = useCallback(async () => {
    try {
      const [a, p] = await Promise.all([call(api().listAccounts({})), call(api().listProfiles({}))]);
      setAccounts(a);
      setProfiles(p);
    } catch (err) {
      report(err);
    }
    await refreshStatus();
  }, [report, refreshStatus]);
  useEffect(() => {
    call(api().appInfo({})).then(setInfo, report);
    void reload();
    const t = setInterval(() => void refreshStatus(), STATUS_REFRESH_MS);
    return () => clearInterval(t);
  }, [report, reload, refreshStatus]);

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

  const startSync = async (profile: string) => {
    setError(null);
    const p = profiles?.find((x) => x.name === profile);
    const acc = accounts?.find((a) => a.name === p?.profile.account);
    let password: string | undefined;
    try {
      password = await passwordFor(p?.profile.account ?? '', acc?.hasPassword ?? false);
    } catch (err) {
      return report(err);
    }
    setCurrent(profile);
    // A sync from anywhere (a profile made in "Profiles and folders" too) ends the first-run guide.
    setSetup(false);
    setView('calendar');
    const r = await scan.start(profile, password);
    if (r) setResults((all) => ({ ...all, [profile]: r }));
    await refreshStatus();
  };

  const list = profiles ?? [];
  const shown = list.find((p) => p.name === current) ?? list[0];
  useEffect(() => {
    if (profiles !== null && profiles.length === 0) setSetup(true);
  }, [profiles]);
  const firstRun = setup;
  const status = statuses.find((s) => s.profile === shown?.name);
  const setSchedule = async (on: boolean) => {
    if (!shown) return;
    try {
      await call(api().setSchedule({ name: shown.name, enabled: on }));
      await reload();
    } catch (err) {
      report(err);
    }
  };
  const copyFeedLink = async () => {
    if (!shown) return false;
    try {
      await call(api().copyFeedLink({ profile: shown.name }));
      return true;
    } catch (err) {
      report(err);
      return false;
    }
  };

  const count = shown && results[shown.name] ? ` (${results[shown.name].events.length})` : '';
  return (
    <div className="app">
      <Nav<View> items={[['calendar', `Calendar${count}`], ['profiles', 'Profiles and folders'], ['accounts', 'Accounts']]} current={view} onChange={setView} />
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
        {view === 'calendar' && firstRun && <FirstRun session={session} accounts={accounts ?? []} onChanged={reload} onSync={(p) => {
          setSetup(false);
          void startSync(p);
        }} syncing={!!scan.running} />}
        {view === 'calendar' && !firstRun && profiles !== null && (
          <>
            {list.length > 1 && (
              <div className="field profile-pick">
                <label htmlFor="profile-pick">Calendar</label>
                <select id="profile-pick" value={shown?.name} onChange={(e) => setCurrent(e.target.value)}>
                  {list.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <PreviewView
              key={shown?.name}
              session={session}
              profile={shown}
              result={shown ? results[shown.name] ?? null : null}
              sync={shown ? { status, syncing: !!scan.running, onSync: () => void startSync(shown.name), onToggleSchedule: (on) => void setSchedule(on), onCopyFeedLink: copyFeedLink } : undefined}
            />
          </>
        )}
        {view === 'profiles' && <ProfilesView session={session} scanning={!!scan.running} onScan={(p) => void startSync(p)} onChanged={() => void reload()} />}
        {view === 'accounts' && <AccountsView session={session} onChanged={() => void reload()} />}
      </main>
      {prompt && <PasswordPrompt account={prompt.account} keychain={keychainAvailable} onDone={prompt.resolve} />}
    </div>
  );
}
