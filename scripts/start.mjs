// `npm start`: checks for the Electron binary before building anything, then builds and launches the app.
// Says in one sentence what to do when the binary is missing; never prints Electron's own reinstall advice.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const found = electronBinary();
if (!found.bin) {
  process.stderr.write(`mailbox2ics: ${found.missing}\n`);
  process.exit(1);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const built = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const app = spawnSync(found.bin, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(app.status ?? 1);
