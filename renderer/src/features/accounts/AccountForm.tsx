// Add or edit one account: connection fields, the password (sent to the keychain, never read back),
// "Test connection", and for an untrusted certificate its details and "Trust this certificate"
// (pins exactly that one; there is no "ignore errors").
import { useState } from 'react';
import type { IpcError, Response } from '../../../../electron/shared/ipc-contract.ts';
import { NAME_PATTERN } from '../../../../electron/shared/config-schema.ts';
import { ERROR_TITLES } from '../../../../electron/shared/errors.ts';
import { api, asUiError, call } from '../../api.ts';
import type { Session } from '../../App.tsx';
import { CertificateCard } from './CertificateCard.tsx';

type AccountView = Response<'accounts:list'>[number];
type Security = 'tls' | 'starttls' | 'plaintext';

export function AccountForm({ session, initial, onSaved, onClose }: { session: Session; initial?: AccountView; onSaved: () => void; onClose: () => void }) {
  const a = initial?.account;
  const [name, setName] = useState(initial?.name ?? '');
  const [host, setHost] = useState(a?.host ?? '');
  const [port, setPort] = useState(a?.port ? String(a.port) : '');
  const [security, setSecurity] = useState<Security>(a?.security ?? 'tls');
  const [username, setUsername] = useState(a?.username ?? '');
  const [caFile, setCaFile] = useState(a?.caFile ?? '');
  const [pinned, setPinned] = useState(a?.pinnedFingerprint);
  const [password, setPassword] = useState('');
  const [hasPassword, setHasPassword] = useState(initial?.hasPassword ?? false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'busy'; text: string } | null>(null);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const keychain = session.info?.keychain.available !== false;

  const problems: string[] = [];
  if (!NAME_PATTERN.test(name)) problems.push('Name: letters, digits, ".", "_" and "-", starting with a letter or digit.');
  if (!host.trim()) problems.push('Server: required.');
  if (!username.trim()) problems.push('User name: required.');
  if (port && !(Number.isInteger(Number(port)) && Number(port) >= 1 && Number(port) <= 65535)) problems.push('Port: a number from 1 to 65535.');

  const account = (pin = pinned) => ({
    host: host.trim(),
    ...(port ? { port: Number(port) } : {}),
    security,
    username: username.trim(),
    ...(caFile.trim() ? { caFile: caFile.trim() } : {}),
    ...(pin ? { pinnedFingerprint: pin } : {}),
  });

  const save = async (pin = pinned) => {
    const saved = await call(api().saveAccount({ name, account: account(pin), ...(initial ? { previousName: initial.name } : {}) }));
    if (password && keychain) {
      await call(api().setPassword({ name, password }));
      setPassword('');
      setHasPassword(true);
    } else setHasPassword(saved.hasPassword);
    onSaved();
    return saved;
  };

  const test = async (pin = pinned) => {
    setFailure(null);
    setStatus({ kind: 'busy', text: 'Connecting…' });
    try {
      const typed = password || (!keychain || !hasPassword ? await session.passwordFor(name || host, false) : undefined);
      const r = await call(api().testConnection({ account: account(pin), ...(initial ? { name: initial.name } : {}), ...(typed ? { password: typed } : {}) }));
      setStatus({ kind: 'ok', text: `Connected to ${r.server}: ${r.folders} folders.` });
    } catch (err) {
      setStatus(null);
      setFailure(asUiError(err).error);
    }
  };

  const trust = async (fingerprint: string) => {
    setPinned(fingerprint);
    try {
      if (initial || NAME_PATTERN.test(name)) await save(fingerprint);
      await test(fingerprint);
    } catch (err) {
      session.report(err);
    }
  };

  return (
    <form
      className="panel"
      aria-label={initial ? `Edit account ${initial.name}` : 'New account'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problems.length) save().then(onClose, session.report);
      }}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <h3>{initial ? `Edit ${initial.name}` : 'New account'}</h3>
      <div className="grid">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="work" required />
        </label>
        <label>
          Server
          <input value={host} onChange={(e) => setHost(e.target.value)} placeholder="imap.example.com" required />
        </label>
        <label>
          Port
          <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" placeholder={security === 'tls' ? '993' : '143'} />
        </label>
        <label>
          Security
          <select value={security} onChange={(e) => setSecurity(e.target.value as Security)}>
            <option value="tls">TLS (port 993)</option>
            <option value="starttls">STARTTLS (port 143)</option>
            <option value="plaintext">None (plain text)</option>
          </select>
        </label>
        <label>
          User name
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" placeholder={hasPassword ? 'saved in the keychain' : ''} />
        </label>
        <label className="wide">
          Trusted CA file (optional)
          <input value={caFile} onChange={(e) => setCaFile(e.target.value)} placeholder="/path/to/company-ca.pem" />
        </label>
      </div>
      {security === 'plaintext' && (
        <p className="banner warning" role="note">
          Without encryption your password and all mail data cross the network readable by anyone on the way. Use TLS or STARTTLS if the
          server offers it.
        </p>
      )}
      {!keychain && <p className="muted">The keychain is unavailable: the password is not saved and will be asked when needed.</p>}
      {hasPassword && keychain && (
        <p className="muted">
          A password is saved in the keychain.{' '}
          <button type="button" className="link" onClick={() => call(api().deletePassword({ name: initial?.name ?? name })).then(() => { setHasPassword(false); onSaved(); }, session.report)}>
            Forget it
          </button>
        </p>
      )}
      {pinned && <p className="muted">Trusted certificate (pinned): <code>{pinned}</code></p>}
      {problems.length > 0 && (name || host || username) && (
        <ul className="problems" aria-label="Problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {status && <p className={status.kind === 'ok' ? 'ok' : 'muted'} role="status">{status.text}</p>}
      {failure && (
        <div className="banner error" role="alert">
          <strong>{ERROR_TITLES[failure.code]}</strong>
          <p className="pre">{failure.message}</p>
          {failure.code === 'TLS_UNTRUSTED' && failure.certificate && <CertificateCard certificate={failure.certificate} onTrust={() => void trust(failure.certificate!.fingerprint256)} />}
        </div>
      )}
      <div className="actions">
        <button type="submit" disabled={problems.length > 0}>
          Save
        </button>
        <button type="button" disabled={problems.length > 0 || status?.kind === 'busy'} onClick={() => void test()}>
          Test connection
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
