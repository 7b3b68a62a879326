import type { Locator, Page } from 'playwright-core';

/** The dashboard's log viewer as a user works it. */
export class LogViewerPage {
  readonly dialog: Locator;
  readonly lines: Locator;

  constructor(
    readonly page: Page,
    readonly workspace: string,
  ) {
    this.dialog = page.getByRole('dialog', { name: `Logs of ${workspace}` });
    this.lines = this.dialog.getByRole('listbox', { name: `Log lines of ${workspace}` });
  }

  /** The rows in the DOM now (the viewer keeps only those in view). */
  rows(): Locator {
    return this.lines.getByRole('option');
  }

  row(text: string | RegExp): Locator {
    return this.rows().filter({ hasText: text });
  }

  /** How many lines pass the filters, whether in the DOM or not. */
  async lineCount(): Promise<number> {
    return Number(await this.lines.getAttribute('data-line-count'));
  }

  async following(): Promise<boolean> {
    return (await this.lines.getAttribute('data-following')) === 'true';
  }

  async showOnly(...sources: string[]): Promise<void> {
    for (const source of ['provision', 'code-server', 'idle', 'system']) {
      const box = this.dialog.getByRole('group', { name: 'Logs' }).getByLabel(source, { exact: true });
      await box.setChecked(sources.includes(source));
    }
  }

  async search(text: string): Promise<void> {
    await this.dialog.getByRole('searchbox', { name: 'Search' }).fill(text);
  }

  async scrollUp(pixels: number): Promise<void> {
    await this.lines.hover();
    await this.page.mouse.wheel(0, -pixels);
  }

  button(name: string): Locator {
    return this.dialog.getByRole('button', { name, exact: true });
  }

  async close(): Promise<void> {
    await this.button('Close').click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}
