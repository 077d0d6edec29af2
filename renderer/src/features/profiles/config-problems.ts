// Splits a CONFIG error ("FILE has 2 problems:\n  path: problem\n  …") into its headline and the
// "path: problem" lines, so a form can list them next to the fields. Other messages stay whole.
export interface ConfigProblems {
  headline: string;
  lines: string[];
}

export function splitConfigMessage(message: string): ConfigProblems {
  const [headline, ...rest] = message.split('\n');
  const lines = rest.map((l) => l.trim()).filter(Boolean);
  return { headline, lines };
}
