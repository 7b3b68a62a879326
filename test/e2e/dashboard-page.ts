import type { Browser, Locator, Page } from 'playwright-core';

const STEP_TIMEOUT = 30_000;

/** Keeps every WebSocket frame the page sends or gets, and every script error it meets, for the suites' checks. */
export function recordPage(page: Page, frames: string[], problems: string[]): void {
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => frames.push(String(frame.payload)));
    socket.on('framereceived', (frame) => frames.push(String(frame.payload)));
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
}

/** The dashboard at `url` on a new 1400×800 page of its own, its frames and script errors recorded for the suite's checks. */
export async function openRecordedDashboard(browser: Browser, url: string, frames: string[], problems: string[]): Promise<DashboardPage> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 800 } })).newPage();
  recordPage(page, frames, problems);
  const dashboard = new DashboardPage(page);
  await dashboard.open(url);
  return dashboard;
}

/** The dashboard as a user works it: one method per thing they do or look at. */
export class DashboardPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('heading', { name: 'Workspaces' }).waitFor();
  }

  row(name: string): Locator {
    return this.page.locator(`tr[data-workspace="${name}"]`);
  }

  async stateOf(name: string): Promise<string | null> {
    return this.row(name).getAttribute('data-state', { timeout: 1_000 }).catch(() => null);
  }

  async waitForState(name: string, state: string): Promise<void> {
    await this.page.locator(`tr[data-workspace="${name}"][data-state="${state}"]`).waitFor({ timeout: STEP_TIMEOUT });
  }

  progressOf(name: string): Locator {
    return this.row(name).locator('progress.operation');
  }

  /** Clicks the action on the workspace's row, opening its "More" menu first when the action is in there. */
  async act(action: string, name: string): Promise<void> {
    const button = this.row(name).getByRole('button', { name: `${action} ${name}`, exact: true });
    if (!(await button.isVisible())) await this.row(name).getByText('More', { exact: true }).click();
    await button.click();
  }

  async confirm(buttonName: string): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: buttonName, exact: true }).click();
    await this.page.getByRole('dialog').waitFor({ state: 'detached' });
  }

  async waitForGone(name: string): Promise<void> {
    await this.row(name).waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
  }

  notice(text: string | RegExp): Locator {
    return this.page.locator('.notice').filter({ hasText: text });
  }

  async openWizard(): Promise<CreateWizard> {
    await this.showSection('Workspaces');
    await this.page.getByRole('button', { name: 'New workspace…' }).click();
    const wizard = new CreateWizard(this.page);
    await wizard.dialog.waitFor();
    // The catalog (regions, bundles with prices) has loaded once a price shows.
    await wizard.dialog.getByLabel('Size').locator('option', { hasText: '/month' }).first().waitFor({ state: 'attached' });
    return wizard;
  }

  /** A workspace's row in the All accounts table. */
  everyAccountRow(account: string, name: string): Locator {
    return this.page.getByRole('table', { name: 'Workspaces of every account' }).locator(`tr[data-account="${account}"][data-workspace="${name}"]`);
  }

  /** Clicks the action on a row of the All accounts table: it acts in that account, whichever is active. */
  async actInAccount(action: string, account: string, name: string): Promise<void> {
    await this.everyAccountRow(account, name).getByRole('button', { name: `${action} ${name} in ${account}`, exact: true }).click();
  }

  async waitForStateInAccount(account: string, name: string, state: string): Promise<void> {
    await this.page.locator(`table[aria-label="Workspaces of every account"] tr[data-account="${account}"][data-workspace="${name}"][data-state="${state}"]`).waitFor({ timeout: STEP_TIMEOUT });
  }

  async showSection(name: 'Workspaces' | 'All accounts' | 'Activity' | 'Settings'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
  }
}

export class CreateWizard {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'New workspace' });
  }

  async typeName(name: string): Promise<void> {
    await this.dialog.getByLabel('Name', { exact: true }).fill(name);
  }

  nameError(): Locator {
    return this.dialog.getByTestId('name-error');
  }

  createButton(): Locator {
    return this.dialog.getByRole('button', { name: 'Create workspace' });
  }

  async submit(): Promise<void> {
    await this.createButton().click();
    await this.dialog.waitFor({ state: 'detached', timeout: 10_000 });
  }
}
