// The keychain entry a password is saved under: the user plus the exact connection settings it was
// saved for (host, port, security, the CA file's content, the pin). A password is looked up only
// by these, so it can never be sent with other settings. Never sees or returns a password.
import { createHash } from 'node:crypto';

export type Security = 'tls' | 'starttls' | 'plaintext';

export interface CredentialIdentity {
  username: string;
  host: string;
  port?: number;
  security: Security;
  /** The CA file's certificates (as read by readCaFile), not its name: a replaced file is other settings. */
  caPem?: string;
  pinnedFingerprint?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function portOf(c: Pick<CredentialIdentity, 'port' | 'security'>): number {
  return c.port ?? (c.security === 'tls' ? 993 : 143);
}

/**
 * "alice@imap.example.com:993 tls #<hash>": readable in the keychain's own UI, exact by the hash of
 * every setting (the readable part alone would be ambiguous: a user name may contain "@").
 * Why 128 bits: finding other settings with the same key must be as hard as guessing the password.
 */
export function credentialKey(c: CredentialIdentity): string {
  const port = portOf(c);
  const pin = c.pinnedFingerprint?.toUpperCase();
  const binding = sha256(JSON.stringify([c.username, c.host, port, c.security, c.caPem ? sha256(c.caPem) : null, pin ?? null])).slice(0, 32);
  const trust = pin ? ' pinned' : c.caPem ? ' ca-file' : '';
  return `${c.username}@${c.host}:${port} ${c.security}${trust} #${binding}`;
}

const SECURITY_WORDS: Record<Security, string> = { tls: 'TLS', starttls: 'STARTTLS', plaintext: 'no encryption' };

/** "imap.example.com:993 (TLS, only the pinned certificate AB:CD:…)": how dialogs and errors name a server. */
export function describeServer(c: Omit<CredentialIdentity, 'username' | 'caPem'> & { caFile?: string }): string {
  const trust = c.pinnedFingerprint ? `, only the pinned certificate ${c.pinnedFingerprint}` : c.caFile ? `, trusting the CA file ${c.caFile}` : '';
  return `${c.host}:${portOf(c)} (${SECURITY_WORDS[c.security]}${trust})`;
}
