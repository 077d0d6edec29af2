// Files the user picked in a native dialog, handed to the window as opaque tokens: the window shows
// the path and gives the token back; main never opens or writes a path the window typed.
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

export type ChoiceKind = 'output' | 'ca-file';

/** Choices remembered. Why 64: a person picks a few files per session; older tokens simply expire. */
const MAX_CHOICES = 64;

const KIND_WORDS: Record<ChoiceKind, string> = { output: 'calendar file', 'ca-file': 'CA file' };

export class WindowChoices {
  private readonly byToken = new Map<string, { kind: ChoiceKind; path: string }>();

  add(kind: ChoiceKind, path: string): string {
    const token = randomBytes(16).toString('hex');
    this.byToken.set(token, { kind, path });
    while (this.byToken.size > MAX_CHOICES) this.byToken.delete(this.byToken.keys().next().value!);
    return token;
  }

  /** The path behind a token of this kind; anything else is refused. */
  path(kind: ChoiceKind, token: string): string {
    const c = this.byToken.get(token);
    if (!c || c.kind !== kind) throw new AppError('REFUSED', `That ${KIND_WORDS[kind]} choice is unknown or expired: choose the file again.`);
    return c.path;
  }
}

/** The refusal for a path the window typed instead of choosing it in the native dialog. */
export function typedPathRefused(kind: ChoiceKind, typed: string): AppError {
  const button = kind === 'output' ? '"Choose calendar file…"' : '"Choose CA file…"';
  return new AppError('REFUSED', `The ${KIND_WORDS[kind]} "${typed}" was not chosen in the system's file dialog: use ${button}. mailbox2ics opens and writes only files you picked there (or that your configuration file names).`, { file: typed });
}
