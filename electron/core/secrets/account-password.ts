// Where a configured account's password comes from in headless runs (sync --config, serve, the
// tray): MAILBOX2ICS_PASSWORD_<ACCOUNT>, then the account's own keychain entry, then the plain
// MAILBOX2ICS_PASSWORD only when the configuration has exactly one account. Never logs a password.
import { AppError } from '../errors.ts';
import { credentialKey, type CredentialIdentity } from './credential-key.ts';
import type { SecretStore } from './secret-store.ts';

export const GENERIC_PASSWORD_ENV = 'MAILBOX2ICS_PASSWORD';

/** "work.mail" → MAILBOX2ICS_PASSWORD_WORK_MAIL: upper case, every character but A-Z and 0-9 becomes "_". */
export function accountPasswordEnv(accountName: string): string {
  return `${GENERIC_PASSWORD_ENV}_${accountName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export interface AccountPasswordQuery {
  accountName: string;
  /** Every account of the configuration: the generic variable is only for a file with one account. */
  accountNames: readonly string[];
  identity: CredentialIdentity;
  env: NodeJS.ProcessEnv;
  openStore: () => Promise<SecretStore>;
  note: (message: string) => void;
}

export interface AccountPasswordFound {
  password: string;
  source: 'env-account' | 'keychain' | 'env';
}

export async function findAccountPassword(q: AccountPasswordQuery): Promise<AccountPasswordFound | undefined> {
  const own = accountPasswordEnv(q.accountName);
  if (q.env[own]) {
    const sharing = q.accountNames.filter((n) => n !== q.accountName && accountPasswordEnv(n) === own);
    // Two names that map to one variable: whichever it was meant for, the other would get it too.
    if (sharing.length) throw new AppError('CONFIG', `${own} is ambiguous: the accounts "${q.accountName}" and ${sharing.map((n) => `"${n}"`).join(', ')} all map to it; rename one of them.`, { account: q.accountName });
    return { password: q.env[own]!, source: 'env-account' };
  }
  let keychainNote: string | undefined;
  try {
    const stored = await (await q.openStore()).get(credentialKey(q.identity));
    if (stored) return { password: stored, source: 'keychain' };
  } catch (err) {
    keychainNote = `note: ${(err as Error).message}`;
  }
  if (q.env[GENERIC_PASSWORD_ENV] && q.accountNames.length === 1) return { password: q.env[GENERIC_PASSWORD_ENV]!, source: 'env' };
  // Said only when it mattered: a run that found its password elsewhere needs no keychain.
  if (keychainNote) q.note(keychainNote);
  return undefined;
}

/** The NO_PASSWORD explanation for a configured account, naming the variable that would work. */
export function noAccountPassword(q: Pick<AccountPasswordQuery, 'accountName' | 'accountNames' | 'identity' | 'env'>, extra = ''): AppError {
  const own = accountPasswordEnv(q.accountName);
  const generic = q.env[GENERIC_PASSWORD_ENV] && q.accountNames.length > 1
    ? ` ${GENERIC_PASSWORD_ENV} is set but not used: the configuration has ${q.accountNames.length} accounts, and it would go to every one of them.`
    : '';
  return new AppError(
    'NO_PASSWORD',
    `No password for the account "${q.accountName}" (${q.identity.username}@${q.identity.host}): set ${own}, or store it in the keychain for these exact settings${extra}.${generic}`,
    { account: q.accountName },
  );
}
