// Run by regex.test.ts in its own process (so a hang cannot freeze the test runner): a window saves
// a profile with a pattern that makes a backtracking engine run for hours, then scans through
// handleRequest against the real Dovecot; prints the scan's event summaries as JSON.
import { windowUnderTest } from '../../helpers/window-requests.ts';

const env = process.env as Record<string, string>;
const w = windowUnderTest();
await w.ok('accounts:save', { name: 'work', account: { host: env.M2I_HOST, port: Number(env.M2I_PORT), security: 'tls', username: env.M2I_USER, pinnedFingerprint: env.M2I_PIN } });
await w.ok('password:set', { name: 'work', password: env.M2I_PASSWORD });
w.dialogs.savePath = `${w.dir}/team.ics`;
const out = await w.ok<{ token: string; path: string }>('dialog:choose-output', {});
await w.ok('profiles:save', { name: 'team', profile: { account: 'work', folders: ['Team'], output: out.path, filters: { match: [env.M2I_PATTERN] } }, outputChoice: out.token });
const scan = await w.ok<{ events: Array<{ summary: string }> }>('scan:run', { scanId: 's1', profile: 'team' });
process.stdout.write(JSON.stringify(scan.events.map((e) => e.summary)) + '\n');
