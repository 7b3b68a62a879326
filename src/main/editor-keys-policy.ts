/** The parts of a key press main sees before the page does (Electron's Input). */
export interface KeyPress {
  type: string;
  key: string;
  code?: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

/** Keys with Ctrl (Cmd on macOS) that VS Code binds and a browser or Electron menu would take first. */
const EDITOR_KEYS = new Set(['w', 'n', 't', 'r', 'p', 'o', 's', 'f', 'h', 'j', 'k', 'l', 'b', 'd', 'g', 'e', 'q', 'tab', 'pageup', 'pagedown', '=', '-', '0', '`', ',', '.']);

/**
 * Whether a key press belongs to the embedded VS Code, so the window's
 * menu accelerators must let it through: Ctrl/Cmd+W closes an editor tab, not
 * the window; Ctrl+N, Ctrl+T, Ctrl+Shift+T, Ctrl+Tab, Ctrl+R and the like
 * are VS Code commands. Cmd+Q on macOS stays the app's (quitting is expected there).
 */
export function isEditorKey(press: KeyPress, platform: NodeJS.Platform): boolean {
  if (press.type !== 'keyDown') return false;
  const key = press.key.toLowerCase();
  if (key === 'f5' || key === 'f11' || key === 'f12') return true;
  const command = platform === 'darwin' ? press.meta || press.control : press.control;
  if (!command) return false;
  if (platform === 'darwin' && press.meta && key === 'q') return false;
  return EDITOR_KEYS.has(key);
}
