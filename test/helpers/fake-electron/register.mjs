// `node --import ./register.mjs dist-electron/main.js …`: runs the bundled main process under plain Node
// with `electron` replaced by ./electron.mjs (for the CLI-mode test, where no Electron binary exists).
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
