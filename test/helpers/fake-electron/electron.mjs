// A stand-in for Electron's main-process API with only what the CLI mode may use. Anything a GUI start
// would touch (the single-instance lock, whenReady) stops the process with exit code 97, so a test sees it.
const forbidden = (what) => () => {
  process.stderr.write(`FAKE ELECTRON: ${what} was called\n`);
  process.exit(97);
};

export const app = {
  getVersion: () => process.env.FAKE_ELECTRON_APP_VERSION ?? '0.0.0-fake',
  disableHardwareAcceleration: () => {},
  exit: (code) => process.exit(code),
  quit: forbidden('app.quit'),
  requestSingleInstanceLock: forbidden('app.requestSingleInstanceLock'),
  whenReady: forbidden('app.whenReady'),
  on: forbidden('app.on'),
};
export const BrowserWindow = undefined;
export const clipboard = undefined;
export const dialog = undefined;
export const ipcMain = undefined;
export const Menu = undefined;
export const nativeImage = undefined;
export const nativeTheme = undefined;
export const net = undefined;
export const Notification = undefined;
export const powerMonitor = undefined;
export const screen = undefined;
export const shell = undefined;
export const Tray = undefined;
export const contextBridge = undefined;
export const ipcRenderer = undefined;
export default { app };
