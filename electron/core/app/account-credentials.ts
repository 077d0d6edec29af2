// The window's accounts and their keychain entries: each password is stored under the exact
// connection settings it was given for (credential-key.ts), so it is found only for those. An edit
// that changes the settings carries the password over only after a native confirmation naming the
// new server, and never overwrites or deletes an entry another account uses.
import type { Account } from '../../shared/config-schema.ts';
import { AppError } from '../errors.ts';
import { withCaPem } from '../imap/ca-file.ts';
import type { ConnectOptions } from '../imap/connect.ts';
import { connectionOf } from '../config/profile-run.ts';
import { credentialKey, describeServer } from '../secrets/credential-key.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { NativeDialogs } from './native-dialogs.ts';

export type Connection = Omit<ConnectOptions, 'password'>;

const unavailable = (err: unknown) => err instanceof AppError && err.code === 'KEYCHAIN_UNAVAILABLE';

export class AccountCredentials {
  constructor(
    private readonly configFile: string,
    private readonly openSecrets: () => Promise<SecretStore>,
    private readonly dialogs: NativeDialogs,
  ) {}

  /** The account's connection with its CA file read: what the password is bound to and what connects. */
  connection(account: Account): Promise<Connection> {
    return withCaPem(connectionOf(account, this.configFile));
  }

  async key(account: Account): Promise<string> {
    return credentialKey(await this.connection(account));
  }

  /** The key, or undefined when it cannot be known (an unreadable CA file): then no entry is touched. */
  private async keyIfReadable(account: Account): Promise<string | undefined> {
    return this.key(account).catch(() => undefined);
  }

  /** The password saved for exactly these settings; none without a keychain. */
  async stored(conn: Connection): Promise<string | undefined> {
    try {
      return (await (await this.openSecrets()).get(credentialKey(conn))) ?? undefined;
    } catch (err) {
      if (unavailable(err)) return undefined;
      throw err;
    }
  }

  async has(account: Account): Promise<boolean> {
    const conn = await this.connection(account).catch(() => undefined);
    return !!conn && !!(await this.stored(conn));
  }

  async set(account: Account, password: string): Promise<void> {
    await (await this.openSecrets()).set(await this.key(account), password);
  }

  async delete(account: Account): Promise<void> {
    await (await this.openSecrets()).delete(await this.key(account));
  }

  /** Deletes the account's entry unless one of `others` (the accounts still configured) uses the same one. */
  async release(account: Account, others: Account[]): Promise<void> {
    const key = await this.keyIfReadable(account);
    if (!key) return;
    for (const o of others) if ((await this.keyIfReadable(o)) === key) return;
    try {
      await (await this.openSecrets()).delete(key);
    } catch (err) {
      // Without a keychain there was no saved password to delete.
      if (!unavailable(err)) throw err;
    }
  }

  /**
   * After an edit from `before` to `after`: if only the old settings have a saved password, asks
   * (native dialog) whether to use it with the new server, and copies it only on yes. An entry the
   * new settings already have is never overwritten. The old entry is then deleted unless another
   * account (`others`) still uses it: no password stays behind for settings no account has.
   */
  async carryOver(name: string, before: Account, after: Account, others: Account[]): Promise<void> {
    const from = await this.keyIfReadable(before);
    const to = await this.key(after);
    if (!from || from === to) return;
    let store: SecretStore;
    let old: string | null;
    try {
      store = await this.openSecrets();
      old = await store.get(from);
    } catch (err) {
      if (unavailable(err)) return;
      throw err;
    }
    if (!old) return;
    if (!(await store.get(to)) && (await this.askToCarry(name, before, after))) {
      // Asked again after the dialog: the entry may have appeared while the question was open.
      if (!(await store.get(to))) await store.set(to, old);
    }
    await this.release(before, others);
  }

  private askToCarry(name: string, before: Account, after: Account): Promise<boolean> {
    const plain = after.security === 'plaintext' ? ' It would cross the network unencrypted.' : '';
    return this.dialogs.confirm({
      title: 'Use the saved password with the new settings?',
      message: `Send the saved password of "${after.username}" to ${describeServer(connectionOf(after, this.configFile))}?${plain}`,
      detail: `The account "${name}" was changed. Its password was saved for ${describeServer(connectionOf(before, this.configFile))}. Only continue if you made this change yourself; otherwise choose "${DECLINE}" and type the password when it is needed.`,
      confirmLabel: 'Use the saved password',
      cancelLabel: DECLINE,
    });
  }
}

const DECLINE = "Don't use it";
