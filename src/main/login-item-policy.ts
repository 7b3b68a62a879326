/**
 * The XDG autostart entry that starts Porthole at login on Linux, where
 * Electron's setLoginItemSettings does nothing. Each argument is quoted as
 * the Desktop Entry spec asks, so a path with spaces stays one argument.
 */
export function autostartEntry(command: readonly string[]): string {
  const exec = command.map(quoteExecArg).join(' ');
  return ['[Desktop Entry]', 'Type=Application', 'Name=Porthole', 'Comment=VS Code workspaces on AWS Lightsail, from the tray', `Exec=${exec}`, 'Terminal=false', 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}

function quoteExecArg(arg: string): string {
  if (/^[\w./:@+-]+$/.test(arg)) return arg.replaceAll('%', '%%');
  return `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`).replaceAll('%', '%%')}"`;
}
