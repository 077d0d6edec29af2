// Compiles the patterns people write in --match/--exclude (command line, configuration, window)
// with RE2 (re2js): matching takes time linear in the text, whatever the pattern. Never hands a
// user's pattern to JavaScript's backtracking RegExp, where `^(\w+\s?)*$` can run for hours.
import { RE2JS } from 're2js';

/** What a filter needs from a compiled pattern (the shape of RegExp.test, so callers stay plain). */
export interface UserPattern {
  test(text: string): boolean;
}

/**
 * Longest pattern accepted, in characters. Why 1,000: filters are a few words; RE2's compiled
 * program grows with the pattern, and a megabyte of pattern pasted by mistake should be an error.
 */
export const MAX_PATTERN_LENGTH = 1000;

export class PatternError extends Error {}

/** A case-insensitive RE2 regular expression (unanchored, like RegExp.test). Throws PatternError with RE2's reason. */
export function compileUserPattern(pattern: string): UserPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new PatternError(`longer than ${MAX_PATTERN_LENGTH} characters`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    // "error parsing regexp: invalid or unsupported Perl syntax: `(?=`": the prefix says nothing.
    throw new PatternError((err as Error).message.replace(/^error parsing regexp: /, ''));
  }
  return { test: (text) => re.test(text) };
}

/** "*standup*" → a whole-value, case-insensitive match where * is any text and ? one character. */
export function compileGlob(glob: string): UserPattern {
  if (glob.length > MAX_PATTERN_LENGTH) throw new PatternError(`longer than ${MAX_PATTERN_LENGTH} characters`);
  const body = glob.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : RE2JS.quote(ch))).join('');
  const re = RE2JS.compile(`^${body}$`, RE2JS.CASE_INSENSITIVE | RE2JS.DOTALL);
  return { test: (text) => re.test(text) };
}
