// Finds the password for a positional run (host and user on the command line): -p, then
// MAILBOX2ICS_PASSWORD, then the keychain entry for these exact settings, then an unechoed prompt
// on a terminal. Never prints, logs or stores the password anywhere else.
import { AppError } from '../core/errors.ts';
import { credentialKey, type CredentialIdentity } from '../core/secrets/credential-key.ts';
import type { SecretStore } from '../core/secrets/secret-store.ts';

export interface PasswordIo {
  argvPassword?: string;
  env: NodeJS.ProcessEnv;
  openStore: () => Promise<SecretStore>;
  isTty: boolean;
  prompt: (question: string) => Promise<string>;
  note: (message: string) => void;
}

export interface PasswordFound {
  password: string;
  source: 'argv' | 'env' | 'keychain' | 'prompt';
}

export async function resolvePassword(identity: CredentialIdentity, io: PasswordIo): Promise<PasswordFound> {
  if (io.argvPassword !== undefined) {
    io.note('warning: a password given with -p is visible to other users of this machine (process list, shell history); prefer MAILBOX2ICS_PASSWORD, the keychain or the prompt.');
    return { password: io.argvPassword, source: 'argv' };
  }
  const env = io.env.MAILBOX2ICS_PASSWORD;
  if (env) return { password: env, source: 'env' };
  const account = `${identity.username}@${identity.host}`;
  try {
    const stored = await (await io.openStore()).get(credentialKey(identity));
    if (stored) return { password: stored, source: 'keychain' };
  } catch (err) {
    io.note(`note: ${(err as Error).message}`);
  }
  if (io.isTty) {
    const typed = await io.prompt(`Password for ${account}: `);
    if (typed) return { password: typed, source: 'prompt' };
  }
  throw new AppError(
    'NO_PASSWORD',
    `No password for ${account}: pass -p, set MAILBOX2ICS_PASSWORD, store it in the keychain for these settings (run once in a terminal with --save-password), or run in a terminal to be asked.`,
    { account },
  );
}

/** Reads a line from a terminal without echoing it. */
export function promptHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    let typed = '';
    const done = (value: string | Error) => {
      input.setRawMode?.(wasRaw ?? false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(typed);
        if (ch === '\u0003') return done(new AppError('CANCELLED', 'Password prompt cancelled.'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}
