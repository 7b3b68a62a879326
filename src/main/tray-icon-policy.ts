/** The four tray pictures in assets/tray (scripts/make-icons.mjs draws them). */
export type TrayPicture = 'idle' | 'running' | 'changing' | 'failed';

/**
 * The tray image file for a state: on macOS a template image the menu bar
 * recolours itself; elsewhere light ink on a dark panel and dark ink on a
 * light one. The @2x sibling is picked by Electron from the same name.
 */
export function trayIconFile(picture: TrayPicture, platform: NodeJS.Platform, darkPanel: boolean): string {
  if (platform === 'darwin') return `${picture}Template.png`;
  return `${picture}-${darkPanel ? 'dark' : 'light'}.png`;
}
