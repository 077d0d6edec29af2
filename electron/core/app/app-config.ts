// The desktop app's view of the shared configuration file: read it fresh, change it, save it
// atomically (with .bak), one change at a time and never over another program's (config-update.ts).
// Keeps account renames consistent with the profiles that use them.
import { existsSync } from 'node:fs';
import { emptyConfig, type Account, type Config, type Profile } from '../../shared/config-schema.ts';
import { AppError } from '../errors.ts';
import { loadConfig } from '../config/config-file.ts';
import { updateConfigFile } from '../config/config-update.ts';

export class AppConfig {
  /** onSaved: told after every successful save (the schedule and the feed follow the change at once). */
  constructor(readonly file: string, private readonly onSaved?: () => void) {}

  async read(): Promise<Config> {
    return existsSync(this.file) ? loadConfig(this.file) : emptyConfig();
  }

  /**
   * Applies fn to a fresh copy and saves it; the file is untouched if fn or validation throws.
   * fn may run more than once (when another process wrote the file meanwhile): keep it free of side effects.
   */
  async update<T>(fn: (cfg: Config) => T): Promise<T> {
    const out = await updateConfigFile(this.file, fn);
    this.onSaved?.();
    return out;
  }

  async account(name: string): Promise<Account> {
    const a = (await this.read()).accounts[name];
    if (!a) throw new AppError('CONFIG', `There is no account named "${name}".`, { account: name });
    return a;
  }

  /** final: decides the account stored from the one it replaces (checked inside the update, so no other save slips in between). */
  async saveAccount(name: string, account: Account, previousName?: string, final: (previous: Account | undefined) => Account = () => account): Promise<{ before?: Account; saved: Account; others: Account[] }> {
    return this.update((cfg) => {
      const before = previousName === undefined ? undefined : cfg.accounts[previousName];
      if (previousName === undefined && cfg.accounts[name]) throw new AppError('CONFIG', `An account named "${name}" already exists.`, { account: name });
      if (previousName !== undefined && !before) throw new AppError('CONFIG', `There is no account named "${previousName}".`, { account: previousName });
      if (previousName !== undefined && previousName !== name && cfg.accounts[name]) throw new AppError('CONFIG', `An account named "${name}" already exists.`, { account: name });
      if (previousName !== undefined && previousName !== name) {
        delete cfg.accounts[previousName];
        for (const p of Object.values(cfg.profiles)) if (p.account === previousName) p.account = name;
      }
      const saved = final(before);
      cfg.accounts[name] = saved;
      return { before, saved, others: Object.entries(cfg.accounts).filter(([n]) => n !== name).map(([, a]) => a) };
    });
  }

  async removeAccount(name: string): Promise<Account> {
    return this.update((cfg) => {
      const a = cfg.accounts[name];
      if (!a) throw new AppError('CONFIG', `There is no account named "${name}".`, { account: name });
      const users = Object.entries(cfg.profiles).filter(([, p]) => p.account === name).map(([n]) => n);
      if (users.length) throw new AppError('CONFIG', `The account "${name}" is used by the profile${users.length > 1 ? 's' : ''} ${users.map((u) => `"${u}"`).join(', ')}; remove or change ${users.length > 1 ? 'them' : 'it'} first.`, { account: name });
      delete cfg.accounts[name];
      return a;
    });
  }

  /** final: decides the profile stored from the one it replaces (see saveAccount). */
  async saveProfile(name: string, profile: Profile, previousName?: string, final: (previous: Profile | undefined) => Profile = () => profile): Promise<void> {
    await this.update((cfg) => {
      if (previousName === undefined && cfg.profiles[name]) throw new AppError('CONFIG', `A profile named "${name}" already exists.`, { profile: name });
      if (previousName !== undefined && !cfg.profiles[previousName]) throw new AppError('CONFIG', `There is no profile named "${previousName}".`, { profile: previousName });
      const previous = previousName === undefined ? undefined : cfg.profiles[previousName];
      if (previousName !== undefined && previousName !== name) {
        if (cfg.profiles[name]) throw new AppError('CONFIG', `A profile named "${name}" already exists.`, { profile: name });
        delete cfg.profiles[previousName];
      }
      cfg.profiles[name] = final(previous);
    });
  }

  async removeProfile(name: string): Promise<void> {
    await this.update((cfg) => {
      if (!cfg.profiles[name]) throw new AppError('CONFIG', `There is no profile named "${name}".`, { profile: name });
      delete cfg.profiles[name];
    });
  }
}
