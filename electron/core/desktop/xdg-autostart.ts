// Start at login on Linux (Electron's setLoginItemSettings does nothing there): writes and removes the
// XDG autostart entry $XDG_CONFIG_HOME/autostart/mailbox2ics.desktop. Never touches another file there.
import * as nodeFs from 'node:fs';
import path from 'node:path';

/** The file name is the entry's identity: the desktop environment shows and toggles it under this name. */
export const AUTOSTART_FILE = 'mailbox2ics.desktop';

/** What the entry runs: the program and its arguments, unquoted (quoting is this module's job). */
export interface LaunchCommand {
  exec: string;
  args: string[];
}

export interface AutostartDeps {
  env: NodeJS.ProcessEnv;
  /** The user's home, used when XDG_CONFIG_HOME is not set (as the XDG Base Directory spec says). */
  home: string;
  fs?: Pick<typeof nodeFs, 'mkdirSync' | 'writeFileSync' | 'readFileSync' | 'rmSync'>;
}

/** $XDG_CONFIG_HOME/autostart/, or ~/.config/autostart/ when the variable is unset, empty or relative (the spec ignores those). */
export function autostartPath(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, 'autostart', AUTOSTART_FILE);
}

/**
 * The command the entry should run. An AppImage runs from a temporary mount that is gone after it exits,
 * so the entry must name the AppImage file itself ($APPIMAGE); an unpackaged run needs the app folder.
 */
export function launchCommand(o: { execPath: string; env: NodeJS.ProcessEnv; isPackaged: boolean; appPath: string; extraArgs: string[] }): LaunchCommand {
  if (o.env.APPIMAGE && path.isAbsolute(o.env.APPIMAGE)) return { exec: o.env.APPIMAGE, args: o.extraArgs };
  return { exec: o.execPath, args: o.isPackaged ? o.extraArgs : [o.appPath, ...o.extraArgs] };
}

// Desktop Entry spec, "The Exec key": an argument with a reserved character is put in double quotes, and
// inside them " ` $ \ are escaped with a backslash; then the whole value gets the string escapes (\ → \\),
// and a literal % is written %% (field codes). A newline cannot be expressed at all.
const PLAIN_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteExecArg(arg: string): string {
  if (/[\n\r\0]/.test(arg)) throw new Error(`A start-at-login command cannot contain a line break: ${JSON.stringify(arg)}`);
  const quoted = arg !== '' && PLAIN_ARG.test(arg) ? arg : `"${arg.replace(/["`$\\]/g, '\\$&')}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

export function desktopEntry(cmd: LaunchCommand): string {
  const exec = [cmd.exec, ...cmd.args].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.4',
    'Name=mailbox2ics',
    'Comment=Keeps the calendar feeds from your mail folders in sync',
    `Exec=${exec}`,
    'Icon=mailbox2ics',
    'Terminal=false',
    'Categories=Office;Calendar;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** True when our entry exists and the desktop environment has not switched it off inside the file. */
export function isAutostartEnabled(deps: AutostartDeps): boolean {
  const fs = deps.fs ?? nodeFs;
  const file = autostartPath(deps.env, deps.home);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // Missing (the usual "off") or unreadable: either way it will not start us at login.
    return false;
  }
  // GNOME's "Startup Applications" and KDE turn an entry off with these keys instead of deleting it.
  return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
}

export function setAutostart(deps: AutostartDeps, on: boolean, cmd: LaunchCommand): void {
  const fs = deps.fs ?? nodeFs;
  const file = autostartPath(deps.env, deps.home);
  if (!on) {
    fs.rmSync(file, { force: true });
    return;
  }
  const text = desktopEntry(cmd);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, text, { mode: 0o644 });
}
