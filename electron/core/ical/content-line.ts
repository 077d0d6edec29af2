// The RFC 5545 content-line grammar (section 3.1) for one unfolded line: name, parameters, value.
// Pure and total: a line that does not fit is answered with a reason, never an exception.

export interface ContentLine {
  /** Upper-cased. */
  name: string;
  /** Parameter names upper-cased; values as written, without their quotes. */
  params: Array<{ name: string; values: string[] }>;
  value: string;
  /** The line as read, less empty parameters (";;"), which the lenient reading skips. */
  clean: string;
}

export type LineOutcome = { ok: true; line: ContentLine } | { ok: false; reason: string };

// CONTROL = %x00-08 / %x0A-1F / %x7F: everything below space except HTAB, and DEL.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
// Sticky: matched at a position without slicing the line (this runs for every line of every part).
const TOKEN_AT = /[A-Za-z0-9-]+/y;

function tokenAt(line: string, i: number): string | undefined {
  TOKEN_AT.lastIndex = i;
  return TOKEN_AT.exec(line)?.[0];
}

function failure(line: string, why: string): LineOutcome {
  const cut = line.length > 60 ? `${line.slice(0, 60)}…` : line;
  return { ok: false, reason: `${why} in ${JSON.stringify(cut)}` };
}

/**
 * Reads one unfolded line. `strict` is the grammar exactly (what we write); otherwise a DQUOTE inside
 * an unquoted parameter value is let through, as ical.js reads it and writes it back escaped (RFC 6868).
 */
export function parseContentLine(line: string, strict: boolean): LineOutcome {
  const bad = CONTROL.exec(line);
  if (bad) return failure(line, `control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`);
  const name = tokenAt(line, 0);
  if (!name) return failure(line, 'no property name');
  let i = name.length;
  let clean = name;
  const params: ContentLine['params'] = [];
  while (line[i] === ';') {
    // Some senders write "DTSTART;;VALUE=DATE-TIME:…"; an empty parameter carries nothing.
    if (!strict && (line[i + 1] === ';' || line[i + 1] === ':')) {
      i += 1;
      continue;
    }
    const from = i;
    const pname = tokenAt(line, i + 1);
    if (!pname) return failure(line, 'a parameter without a name');
    i += 1 + pname.length;
    if (line[i] !== '=') return failure(line, `parameter ${pname} without "="`);
    const values: string[] = [];
    do {
      i += 1;
      if (line[i] === '"') {
        const close = line.indexOf('"', i + 1);
        if (close < 0) return failure(line, `parameter ${pname} with an unclosed quote`);
        values.push(line.slice(i + 1, close));
        i = close + 1;
      } else {
        let j = i;
        while (j < line.length && line[j] !== ';' && line[j] !== ':' && line[j] !== ',') {
          if (line[j] === '"' && (strict || j === i)) return failure(line, `parameter ${pname} with a stray quote`);
          j += 1;
        }
        values.push(line.slice(i, j));
        i = j;
      }
    } while (line[i] === ',');
    params.push({ name: pname.toUpperCase(), values });
    clean += line.slice(from, i);
  }
  if (line[i] !== ':') return failure(line, i === name.length ? 'no ":" after the property name' : 'no ":" after the parameters');
  return { ok: true, line: { name: name.toUpperCase(), params, value: line.slice(i + 1), clean: `${clean}${line.slice(i)}` } };
}

/** The first value of a parameter, upper-cased, or undefined. */
export function paramOf(line: ContentLine, name: string): string | undefined {
  return line.params.find((p) => p.name === name)?.values[0];
}

/**
 * The logical lines of a text: line ends CRLF or LF, a line starting with space or tab continues the
 * previous one (the way ical.js reads them). Empty lines are left out.
 */
export function unfoldLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if ((raw[0] === ' ' || raw[0] === '\t') && out.length) out[out.length - 1] += raw.slice(1);
    else if (raw.trim()) out.push(raw);
  }
  return out;
}
