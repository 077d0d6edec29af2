// The account form's fields as typed, their checks (the same rules the config schema applies, in
// words for people), and the account object sent to main. Never holds a password.
import { NAME_PATTERN, type Account } from '../../../../electron/shared/config-schema.ts';
import type { AccountView, Security } from '../../types.ts';

export interface AccountDraft {
  name: string;
  host: string;
  port: string;
  security: Security;
  username: string;
  caFile: string;
}
export type DraftField = 'name' | 'host' | 'port' | 'username';
export type Problems = Partial<Record<DraftField, string>>;

export function draftFrom(initial?: AccountView): AccountDraft {
  const a = initial?.account;
  return {
    name: initial?.name ?? '',
    host: a?.host ?? '',
    port: a?.port ? String(a.port) : '',
    security: a?.security ?? 'tls',
    username: a?.username ?? '',
    caFile: a?.caFile ?? '',
  };
}

export function validateDraft(d: AccountDraft): Problems {
  const p: Problems = {};
  if (!d.name) p.name = 'A name is required.';
  else if (!NAME_PATTERN.test(d.name)) p.name = 'Use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit.';
  if (!d.host.trim()) p.host = 'The server host name is required.';
  else if (/\s|\/|:\/\//.test(d.host.trim())) p.host = 'Only the host name, e.g. imap.example.com (no spaces, no "imap://").';
  const port = Number(d.port);
  if (d.port.trim() && !(/^\d+$/.test(d.port.trim()) && port >= 1 && port <= 65535)) p.port = 'A number from 1 to 65535, or empty for the default.';
  if (!d.username.trim()) p.username = 'The user name is required.';
  return p;
}

export function toAccount(d: AccountDraft, pinnedFingerprint?: string): Omit<Account, 'password'> {
  return {
    host: d.host.trim(),
    ...(d.port.trim() ? { port: Number(d.port) } : {}),
    security: d.security,
    username: d.username.trim(),
    ...(d.caFile.trim() ? { caFile: d.caFile.trim() } : {}),
    // A pin only means something over TLS; the config refuses it with plain text.
    ...(pinnedFingerprint && d.security !== 'plaintext' ? { pinnedFingerprint } : {}),
  };
}
