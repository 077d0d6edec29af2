// "Password" or OAuth2 sign-in ("Sign in with Microsoft", "Sign in with Google", "Other OAuth2 /
// OpenID provider") for one account. Main opens the system browser and keeps the tokens; this only
// shows "Waiting for you to sign in in your browser…" with Cancel, then "Signed in as …".
import { useEffect, useId, useState } from 'react';
import type { IpcError } from '../../../../electron/shared/ipc-contract.ts';
import { api, asUiError, call } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/TextField.tsx';
import { oauthProblem, PROVIDER_LABELS, toAuth, type OAuthDraft, type SignInKind } from './oauth-draft.ts';

export interface SignInChoiceProps {
  /** The account's name: the sign-in is kept for it. */
  accountName: string;
  /** The account's user name; a sign-in as someone else is refused by main. Empty: whoever signs in. */
  username: string;
  /** The name it is saved under, if saved: then its current sign-in is shown. */
  savedName?: string;
  draft: OAuthDraft;
  onDraft: (d: OAuthDraft) => void;
  /** After a sign-in: who signed in, and the provider's IMAP server (to fill in, still editable). */
  onSignedIn: (user: string, imap?: { host: string; port: number }) => void;
}

type Phase = { kind: 'idle' } | { kind: 'waiting' } | { kind: 'signed-in'; user: string; where?: 'keychain' | 'memory' };

export function SignInChoice({ accountName, username, savedName, draft, onDraft, onSignedIn }: SignInChoiceProps) {
  const id = useId();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [failure, setFailure] = useState<IpcError | null>(null);

  useEffect(() => {
    if (!savedName || draft.kind === 'password') return;
    let live = true;
    call(api().signInStatus({ name: savedName })).then((s) => live && s.signedIn && setPhase({ kind: 'signed-in', user: s.user! }), () => {});
    return () => {
      live = false;
    };
    // Only when the form opens on a saved account: later changes need a new sign-in anyway.
  }, [savedName]);

  const problem = oauthProblem(draft);
  const set = (k: keyof OAuthDraft) => (e: { target: { value: string } }) => onDraft({ ...draft, [k]: e.target.value });

  const start = async () => {
    if (draft.kind === 'password' || problem) return;
    setFailure(null);
    setPhase({ kind: 'waiting' });
    try {
      const r = await call(api().startSignIn({ name: accountName, settings: toAuth(draft)!, ...(username.trim() ? { username: username.trim() } : {}) }));
      setPhase({ kind: 'signed-in', user: r.user, where: r.where });
      onSignedIn(r.user, r.imap);
    } catch (err) {
      setPhase({ kind: 'idle' });
      setFailure(asUiError(err).error);
    }
  };
  const cancel = () => void call(api().cancelSignIn({ name: accountName })).catch(() => {});
  const signOut = async () => {
    setFailure(null);
    try {
      await call(api().signOut({ name: savedName ?? accountName }));
      setPhase({ kind: 'idle' });
    } catch (err) {
      setFailure(asUiError(err).error);
    }
  };

  return (
    <fieldset className="wide sign-in-choice">
      <legend>Sign-in</legend>
      <div role="radiogroup" aria-label="How this account signs in">
        {(['password', 'microsoft', 'google', 'generic'] as SignInKind[]).map((k) => (
          <label key={k}>
            <input type="radio" name={`${id}-kind`} value={k} checked={draft.kind === k} disabled={phase.kind === 'waiting'} onChange={() => (setPhase({ kind: 'idle' }), onDraft({ ...draft, kind: k }))} />
            {k === 'password' ? 'With a password' : PROVIDER_LABELS[k]}
          </label>
        ))}
      </div>
      {draft.kind !== 'password' && (
        <div className="grid">
          {draft.kind === 'generic' && <TextField label="Issuer URL" value={draft.issuer} onChange={set('issuer')} placeholder="https://id.example.com" autoComplete="off" />}
          <TextField label="Client id" value={draft.clientId} onChange={set('clientId')} autoComplete="off" hint="From the app registration at your provider (a public, native app)." />
          {draft.kind === 'microsoft' && <TextField label="Tenant (optional)" value={draft.tenant} onChange={set('tenant')} placeholder="organizations" autoComplete="off" />}
          <TextField label="Scopes (optional)" value={draft.scopes} onChange={set('scopes')} placeholder="the provider's defaults" autoComplete="off" />
        </div>
      )}
      {draft.kind !== 'password' && phase.kind !== 'waiting' && (
        <div className="actions">
          <button type="button" disabled={!!problem || !accountName} onClick={() => void start()}>
            {draft.kind === 'generic' ? 'Sign in' : PROVIDER_LABELS[draft.kind]}
          </button>
          {problem && <span className="hint">{problem}</span>}
        </div>
      )}
      {phase.kind === 'waiting' && (
        <p role="status" className="muted">
          Waiting for you to sign in in your browser…{' '}
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </p>
      )}
      {phase.kind === 'signed-in' && draft.kind !== 'password' && (
        <p role="status" className="ok">
          Signed in as {phase.user}
          {phase.where === 'memory' ? ' (no system keychain: only until the app closes)' : ''}{' '}
          {savedName && (
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          )}
        </p>
      )}
      {failure && <ErrorAlert error={failure} onDismiss={() => setFailure(null)} />}
    </fieldset>
  );
}
