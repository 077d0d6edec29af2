// The tray image for the platform and the panel's colours: a template image on macOS (the system tints
// it), a dark glyph for light panels and a white one for dark panels on Windows and Linux.
import path from 'node:path';
import type { NativeImage, NativeTheme, Tray } from 'electron';

/** File names in resources/tray/ (rendered by scripts/render-icons.mjs, with their @1.25x/@1.5x/@2x siblings). */
export function trayIconFile(platform: NodeJS.Platform, darkPanel: boolean): string {
  if (platform === 'darwin') return 'trayTemplate.png';
  return darkPanel ? 'tray-dark.png' : 'tray-light.png';
}

/**
 * Whether the panel the tray sits in is dark. Windows has its own setting for the taskbar (apps may be
 * light on a dark taskbar); elsewhere the system theme is the best guess Electron offers.
 */
export function isDarkPanel(platform: NodeJS.Platform, theme: Pick<NativeTheme, 'shouldUseDarkColors' | 'shouldUseDarkColorsForSystemIntegratedUI'>): boolean {
  if (platform === 'win32') return theme.shouldUseDarkColorsForSystemIntegratedUI ?? theme.shouldUseDarkColors;
  return theme.shouldUseDarkColors;
}

export interface TrayImageDeps {
  platform: NodeJS.Platform;
  dir: string;
  theme: Pick<NativeTheme, 'shouldUseDarkColors' | 'shouldUseDarkColorsForSystemIntegratedUI' | 'on'>;
  createFromPath: (file: string) => NativeImage;
}

export function trayImage(deps: TrayImageDeps): NativeImage {
  const image = deps.createFromPath(path.join(deps.dir, trayIconFile(deps.platform, isDarkPanel(deps.platform, deps.theme))));
  if (deps.platform === 'darwin') image.setTemplateImage(true);
  return image;
}

/** Swaps the image when the user switches between light and dark. */
export function followTheme(tray: Pick<Tray, 'setImage' | 'isDestroyed'>, deps: TrayImageDeps): void {
  if (deps.platform === 'darwin') return;
  deps.theme.on('updated', () => {
    if (!tray.isDestroyed()) tray.setImage(trayImage(deps));
  });
}
