// Add or edit one account: connection fields, the password (sent to the keychain, never read back),
// the CA file (picked in the system's dialog), "Test connection", and for an untrusted certificate
// its details and "Trust this certificate", which pins exactly that one. No "ignore certificate errors".
import { useRef, useState, type FormEvent } from 'react';
import type { IpcError } from '../../../../electron/shared/ipc-contract.ts';
import { api, asUiError, call } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FileChooser } from '../../components/FileChooser.tsx';
import { TextField } from '../../components/TextField.tsx';
import type { Session } from '../../session.ts';
import type { AccountView, Security } from '../../types.ts';
import { draftFrom, toAccount, validateDraft, type AccountDraft, type DraftField } from './account-draft.ts';
import { CertificateCard } from './CertificateCard.tsx';
import { PasswordField } from './PasswordField.tsx';
import { SignInChoice } from './SignInChoice.tsx';
import { oauthDraftFrom, toAuth } from './oauth-draft.ts';

const ORDER: DraftField[] = ['name', 'host', 'port', 'username'];

export function AccountForm({ session, initial, onSaved, onClose }: { session: Session; initial?: AccountView; onSaved: () => void; onClose: () => void }) {
  const [draft, setDraft] = useState<AccountDraft>(() => draftFrom(initial));
  const [pinned, setPinned] = useState(initial?.account.pinnedFingerprint);
  const [oauth, setOauth] = useState(() => oauthDraftFrom(initial?.account.auth));
  const account = (pin?: string) => ({ ...toAccount(draft, pin), ...(toAuth(oauth) ? { auth: toAuth(oauth) } : {}) });
  /** Main's token for a CA file picked in its dialog; main refuses a CA path the window typed. */
  const [caFileChoice, setCaFileChoice] = useState<string>();
  /** The name this account has in the configuration, once saved (renames send it as previousName). */
  const [savedName, setSavedName] = useState(initial?.name);
  const [password, setPassword] = useState('');
  const [hasPassword, setHasPassword] = useState(initial?.hasPassword ?? false);
  const [touched, setTouched] = useState<ReadonlySet<DraftField>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'busy'; text: string } | null>(null);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const keychain = session.keychainAvailable;
  const problems = validateDraft(draft);
  const shown = (k: DraftField) => (showAll || touched.has(k) ? problems[k] : undefined);

  /** True when the fields are valid; otherwise shows every problem and focuses the first one. */
  const ready = () => {
    const first = ORDER.find((k) => problems[k]);
    if (!first) return true;
    setShowAll(true);
    form.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
    return false;
  };

  const save = async (pin = pinned) => {
    const saved = await call(api().saveAccount({ name: draft.name, account: account(pin), ...(savedName ? { previousName: savedName } : {}), ...(caFileChoice ? { caFileChoice } : {}) }));
    setSavedName(saved.name);
    if (password && keychain) {
      await call(api().setPassword({ name: saved.name, password }));
      setPassword('');
      setHasPassword(true);
    } else {
      // Without a keychain the typed password lives in memory for this session only.
      if (password) session.remember(saved.name, password);
      setHasPassword(saved.hasPassword);
    }
    onSaved();
  };

  const test = async (pin = pinned) => {
    setFailure(null);
    setStatus({ kind: 'busy', text: 'Connecting…' });
    try {
      const typed = oauth.kind !== 'password' ? undefined : password || (keychain && hasPassword ? undefined : await session.passwordFor(savedName ?? draft.name, false));
      const r = await call(api().testConnection({ account: account(pin), ...(savedName ? { name: savedName } : {}), ...(typed ? { password: typed } : {}), ...(caFileChoice ? { caFileChoice } : {}) }));
      setStatus({ kind: 'ok', text: `Connected to ${r.server}: ${r.folders} folder${r.folders === 1 ? '' : 's'}.` });
    } catch (err) {
      setStatus(null);
      setFailure(asUiError(err).error);
    }
  };

  const trust = async (fingerprint: string) => {
    setPinned(fingerprint);
    setFailure(null);
    try {
      await save(fingerprint);
    } catch (err) {
      return setFailure(asUiError(err).error);
    }
    await test(fingerprint);
  };

  const chooseCaFile = async () => {
    try {
      const c = await call(api().chooseCaFile({}));
      if (!c.chosen) return;
      setDraft({ ...draft, caFile: c.path });
      setCaFileChoice(c.token);
    } catch (err) {
      setFailure(asUiError(err).error);
    }
  };

  const forget = () =>
    call(api().deletePassword({ name: savedName ?? draft.name })).then(() => {
      setHasPassword(false);
      onSaved();
    }, session.report);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready()) save().then(onClose, (err) => setFailure(asUiError(err).error));
  };
  const set = (k: keyof AccountDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const field = (k: DraftField, label: string, extra: Record<string, string> = {}) => (
    <TextField label={label} value={draft[k]} onChange={set(k)} onBlur={() => setTouched(new Set(touched).add(k))} error={shown(k)} data-field={k} {...extra} />
  );

  return (
    <form ref={form} className="panel" aria-label={initial ? `Edit account ${initial.name}` : 'New account'} onSubmit={submit} noValidate>
      <h3>{initial ? `Edit ${initial.name}` : 'New account'}</h3>
      {/* Outcomes first: at a small window the certificate decision must not sit below the fold. */}
      {status && (
        <p className={status.kind === 'ok' ? 'ok' : 'muted'} role="status">
          {status.text}
        </p>
      )}
      {failure && failure.code === 'TLS_UNTRUSTED' && failure.certificate ? (
        <CertificateCard certificate={failure.certificate} server={draft.host} pinned={pinned} onTrust={() => void trust(failure.certificate!.fingerprint256)} onDismiss={() => setFailure(null)} />
      ) : (
        failure && <ErrorAlert error={failure} onDismiss={() => setFailure(null)} />
      )}
      <div className="grid">
        {field('name', 'Name', { placeholder: 'work', autoComplete: 'off' })}
        {field('host', 'Server', { placeholder: 'imap.example.com', autoComplete: 'off' })}
        {field('port', 'Port', { inputMode: 'numeric', placeholder: draft.security === 'tls' ? '993' : '143' })}
        <div className="field">
          <label htmlFor="account-security">Security</label>
          <select id="account-security" value={draft.security} onChange={(e) => setDraft({ ...draft, security: e.target.value as Security })}>
            <option value="tls">TLS (port 993)</option>
            <option value="starttls">STARTTLS (port 143)</option>
            <option value="plaintext">None: plain text</option>
          </select>
        </div>
        {field('username', 'User name', { autoComplete: 'username' })}
        <SignInChoice accountName={draft.name} username={draft.username} savedName={savedName} draft={oauth} onDraft={setOauth}
          onSignedIn={(user, imap) => setDraft((d) => ({ ...d, username: d.username || user, ...(imap && !d.host ? { host: imap.host, port: String(imap.port) } : {}) }))} />
        {oauth.kind === 'password' && <PasswordField value={password} onChange={setPassword} keychain={keychain} hasPassword={hasPassword} onForget={savedName ? forget : undefined} />}
        <FileChooser
          className="wide"
          label="Trusted CA file (optional)"
          path={draft.caFile}
          placeholder="none"
          chooseLabel="Choose CA file…"
          onChoose={() => void chooseCaFile()}
          onClear={() => {
            setDraft({ ...draft, caFile: '' });
            setCaFileChoice(undefined);
          }}
          hint="A PEM file with your organisation's certificate authority, picked in the system's file dialog."
        />
      </div>
      {draft.security === 'plaintext' && (
        <p className="banner warning" role="note">
          <strong>No encryption.</strong> Your password and all mail data would cross the network readable by anyone on the way. Use TLS or STARTTLS if
          the server offers it.
        </p>
      )}
      {pinned && draft.security !== 'plaintext' && (
        <p className="muted">
          Trusted certificate (pinned): <code>{pinned}</code>
        </p>
      )}
      <div className="actions">
        <button type="submit">Save</button>
        <button type="button" disabled={status?.kind === 'busy'} onClick={() => ready() && void test()}>
          Test connection
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
