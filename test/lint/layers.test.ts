// The layer rule (eslint.config.js) through ESLint's Node API: code that crosses a layer is
// reported, the allowed imports are not, and the repository itself lints clean.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });
/** "../" n times, built at run time: the import strings below are relative to the file linted, not to this one. */
const up = (n: number) => '../'.repeat(n);

/** Lints `code` as if it were the file at `file` (relative to the repository); nothing is written. */
async function problems(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return r.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rule', () => {
  it.each([
    ['electron/core/sync/probe.ts', "import { app } from 'electron';"],
    ['electron/core/probe.ts', "export { shell } from 'electron';"],
    ['electron/core/probe.ts', "const { app } = await import('electron');"],
    ['electron/shared/probe.ts', "import { ipcMain } from 'electron';"],
    ['electron/shared/probe.ts', `import { AppError } from '${up(1)}core/errors.ts';`],
    ['electron/shared/probe.ts', "import fs from 'node:fs';"],
    ['renderer/src/probe.tsx', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/probe.tsx', `import { AppService } from '${up(2)}electron/core/app/app-service.ts';`],
    ['renderer/src/features/accounts/probe.tsx', `import type { ServiceLike } from '${up(4)}electron/main/ipc-wiring.ts';`],
    ['renderer/src/features/accounts/probe.tsx', `import { x } from '${up(4)}test/renderer/fake-api.ts';`],
    ['renderer/src/probe.tsx', "import { readFileSync } from 'node:fs';"],
  ])('%s: %s is an error', async (file, code) => {
    const found = await problems(file, code);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f).toMatch(/^no-restricted-(imports|syntax): /);
  });

  it.each([
    ['electron/core/probe.ts', `import fs from 'node:fs'; import { z } from 'zod'; import { CONFIG_VERSION } from '${up(1)}shared/config-schema.ts';`],
    ['electron/shared/probe.ts', "import { z } from 'zod'; import { ERROR_CODES } from './errors.ts';"],
    ['electron/main/probe.ts', "import { app } from 'electron';"],
    ['renderer/src/probe.tsx', `import { useState } from 'react'; import { api } from './api.ts'; import { ERROR_CODES } from '${up(2)}electron/shared/errors.ts';`],
    ['renderer/src/features/accounts/probe.tsx', `import { api } from '${up(2)}api.ts'; import type { Account } from '${up(4)}electron/shared/config-schema.ts';`],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });

  it('the sources follow it', async () => {
    const results = await eslint.lintFiles(['electron', 'renderer']);
    expect(results.length).toBeGreaterThan(50);
    expect(results.flatMap((r) => r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.message}`))).toEqual([]);
  });
});
