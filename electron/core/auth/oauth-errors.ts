// Turns what openid-client throws into AppErrors a person can act on: denied consent is "sign-in
// cancelled", a dead grant is REAUTH_REQUIRED naming the login command. Never includes a token.
import { AppError } from '../errors.ts';

/** "sign in to Microsoft again (mailbox2ics login --account work)". */
export function reauthMessage(label: string, account: string): string {
  return `sign in to ${label} again (mailbox2ics login --account ${account})`;
}

/** True for a REAUTH_REQUIRED message (the schedule passes errors on as text). */
export function isReauthMessage(message: string): boolean {
  return /^sign in to .+ again \(mailbox2ics login --account [^)]+\)/.test(message);
}

export function reauthRequired(label: string, account: string, why?: string): AppError {
  return new AppError('REAUTH_REQUIRED', `${reauthMessage(label, account)}${why ? `: ${why}` : ''}`, { account, provider: label });
}

/** The OAuth error code of a provider answer (RFC 6749 §5.2), wherever openid-client put it. */
export function oauthErrorCode(err: unknown): string | undefined {
  const e = err as { error?: unknown; cause?: { error?: unknown } } | undefined;
  if (typeof e?.error === 'string') return e.error;
  if (typeof e?.cause?.error === 'string') return e.cause.error;
  return undefined;
}

/** A description the provider sent, cut short: it is shown, and comes from the network. */
function description(err: unknown): string {
  const e = err as { error_description?: unknown; cause?: { error_description?: unknown }; message?: string };
  const d = e?.error_description ?? e?.cause?.error_description;
  const text = typeof d === 'string' ? d : e?.message ?? String(err);
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 300);
}

export function cancelledSignIn(): AppError {
  return new AppError('CANCELLED', 'sign-in cancelled');
}

/** Any failure of a sign-in step (discovery, callback, code exchange). */
export function signInError(err: unknown, label: string): AppError {
  if (err instanceof AppError) return err;
  const code = oauthErrorCode(err);
  if (code === 'access_denied') return cancelledSignIn();
  return new AppError('OAUTH_FAILED', `Signing in to ${label} failed: ${code ? `${code}: ` : ''}${description(err)}`, { provider: label, ...(code ? { oauthError: code } : {}) });
}

/** A failed refresh: invalid_grant means the grant is gone; anything else may pass (network, outage). */
export function refreshError(err: unknown, label: string, account: string): AppError {
  if (err instanceof AppError) return err;
  const code = oauthErrorCode(err);
  if (code === 'invalid_grant' || code === 'unauthorized_client' || code === 'invalid_client') return reauthRequired(label, account, `the provider no longer accepts the saved sign-in (${code})`);
  return new AppError('OAUTH_FAILED', `Refreshing the sign-in at ${label} failed: ${code ? `${code}: ` : ''}${description(err)}`, { provider: label, account });
}
