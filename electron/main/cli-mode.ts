// The packaged app's command line: `mailbox2ics --mailbox2ics-cli -- ARGS` runs the headless command in
// the app's own Electron binary (its Node, its native modules) with no window, then exits with its code.
// Used because the RunAsNode fuse is off, so ELECTRON_RUN_AS_NODE cannot run a script in the package.
import type { App } from 'electron';

/** The switch the CLI launchers (packaging/bin/) pass first; a window is never created with it. */
export const CLI_SWITCH = '--mailbox2ics-cli';

/**
 * The command's own arguments when this process was started as the CLI, else undefined. Everything after
 * the switch belongs to the command; the launchers put `--` in front so Chromium leaves those arguments alone.
 */
export function cliArgsFrom(argv: string[]): string[] | undefined {
  const at = argv.indexOf(CLI_SWITCH);
  if (at < 0) return undefined;
  const rest = argv.slice(at + 1);
  return rest[0] === '--' ? rest.slice(1) : rest;
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  // An empty write's callback runs after everything queued before it has been handed to the OS: the
  // feed on stdout must not be cut off by the exit.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

export async function runCliMode(deps: {
  app: Pick<App, 'exit' | 'disableHardwareAcceleration'> & { dock?: Pick<NonNullable<App['dock']>, 'hide'> };
  args: string[];
  runCli: (args: string[]) => Promise<number>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}): Promise<number> {
  // No window will ever be shown: no GPU process, no dock icon.
  deps.app.disableHardwareAcceleration();
  deps.app.dock?.hide();
  let code: number;
  try {
    code = await deps.runCli(deps.args);
  } catch (err) {
    deps.stderr.write(`mailbox2ics: unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
    code = 1;
  }
  await Promise.all([drained(deps.stdout), drained(deps.stderr)]);
  deps.app.exit(code);
  return code;
}
