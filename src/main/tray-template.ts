import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuItem } from '../core/tray/tray-menu.js';

/** The tray model's items as Electron menu templates; a click hands the item's action to `run`. */
export function trayTemplate(items: readonly TrayMenuItem[], run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'submenu') return { id: item.id, label: item.label, enabled: item.enabled, submenu: trayTemplate(item.items, run) };
    const action = item.action;
    return {
      id: item.id,
      label: item.label,
      enabled: item.enabled,
      ...(item.checked !== undefined ? { type: 'checkbox' as const, checked: item.checked } : {}),
      ...(item.toolTip ? { toolTip: item.toolTip } : {}),
      ...(action ? { click: () => run(action) } : {}),
    };
  });
}
