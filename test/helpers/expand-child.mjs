// Child process for test/helpers/expand-in-child.ts: reads {ics, from, to, opts} as JSON on stdin,
// runs the real preview expansion (TypeScript through tsx) and writes its result as JSON on stdout.
import { register } from 'tsx/esm/api';

register();
const { expandOccurrences } = await import('../../electron/core/preview/preview-events.ts');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { ics, from, to, opts } = JSON.parse(input);
process.stdout.write(JSON.stringify(expandOccurrences(ics, new Date(from), new Date(to), opts)));
