// Finds the Electron binary that `npm ci` may have skipped (ELECTRON_SKIP_BINARY_DOWNLOAD=1), without
// asking the electron package (whose own error says to reinstall, which would skip it again).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The binary's path, or undefined with the one sentence that tells the user what to do. */
export function electronBinary(env = process.env) {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'The electron package is not installed: run `npm ci` first.' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined;
  const base = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist');
  const bin = exe ? path.join(base, exe) : undefined;
  if (bin && existsSync(bin)) return { bin };
  return {
    missing: 'The Electron binary is not installed (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, as on machines without internet access); on a machine that can download it, run `node node_modules/electron/install.js`, then `npm start` again.',
  };
}
