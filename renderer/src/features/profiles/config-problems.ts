// Turns a CONFIG error ("FILE has 2 problems:\n  profiles.team.output: problem\n  …") into words at
// the profile form's fields (output, folders, filters…); lines it cannot place are kept, without paths.
export interface ConfigProblems {
  headline: string;
  lines: string[];
}

export function splitConfigMessage(message: string): ConfigProblems {
  const [headline, ...rest] = message.split('\n');
  const lines = rest.map((l) => l.trim()).filter(Boolean);
  return { headline, lines };
}

export type ProfileField = 'name' | 'account' | 'folders' | 'output' | 'schedule' | 'filters';
export interface FieldProblems {
  fields: Partial<Record<ProfileField, string>>;
  other: string[];
}

const FIELDS: Record<string, ProfileField> = { account: 'account', folders: 'folders', output: 'output', schedule: 'schedule', filters: 'filters', match: 'filters', exclude: 'filters' };
const FILTER_WORDS: Record<string, string> = {
  from: '"From contains"', to: '"To contains"', subject: '"Subject contains"', since: '"Received since"', before: '"Received before"', window: '"Event window"',
  allowSenders: '"Allowed senders"', match: '"Keep only events matching"', exclude: '"Drop events matching"',
};

const sentence = (s: string) => {
  const t = s.trim();
  return t ? `${t[0].toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : t;
};

export function fieldProblems(message: string): FieldProblems {
  const { headline, lines } = splitConfigMessage(message);
  const out: FieldProblems = { fields: {}, other: [] };
  if (!lines.length) out.other.push(sentence(headline));
  for (const line of lines) {
    const m = /^([A-Za-z0-9_.-]+(?:\.[A-Za-z0-9_-]+)*): (.*)$/.exec(line);
    if (!m) {
      out.other.push(sentence(line));
      continue;
    }
    const path = m[1].split('.');
    // "profiles.NAME.FIELD[.more]"; anything else has no field of this form.
    const field = path[0] === 'profiles' ? FIELDS[path[2] ?? ''] : undefined;
    if (!field) {
      out.other.push(sentence(m[2]));
      continue;
    }
    let text = sentence(m[2]);
    if (field === 'filters' && path[3]) {
      const which = FILTER_WORDS[path[3]] ?? 'A filter';
      const n = path[4] !== undefined && /^\d+$/.test(path[4]) ? ` (line ${Number(path[4]) + 1})` : '';
      text = `${which}${n}: ${m[2]}`;
    }
    out.fields[field] = out.fields[field] ? `${out.fields[field]} ${text}` : text;
  }
  return out;
}
