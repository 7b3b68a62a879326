import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Electronegativity (Doyensec's Electron security scanner) over the code
 * that runs in Electron: the main process, the preload and the renderer.
 * A finding above LOW fails unless it is listed, with its reason, in
 * electron-security-scan.suppressions.json.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['src/main', 'src/preload', 'src/renderer'];

interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  description: string;
}
interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Issue[];
}
type Scan = (options: { input: string; isRelative: boolean; electronVersionOverride?: string; excludeFromScan?: string[] }) => Promise<ScanResult>;

const scan = createRequire(import.meta.url)('@doyensec/electronegativity') as Scan;
/** Electronegativity's own scale: INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3. */
const LOW = 1;
const workDirs: string[] = [];

afterAll(async () => {
  for (const dir of workDirs) await rm(dir, { recursive: true, force: true });
});

/** A copy of just the given files (the scanner takes one folder), with package.json for the Electron version. */
async function scanTree(files: (dir: string) => Promise<void>): Promise<ScanResult> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-eneg-'));
  workDirs.push(dir);
  await cp(join(REPO, 'package.json'), join(dir, 'package.json'));
  await files(dir);
  // The scanner only logs to the console; keep the test output for the verdict.
  const log = console.log;
  console.log = () => undefined;
  try {
    // The one check about Electron's release list downloads it from GitHub with no timeout; the scan must run offline.
    return await scan({ input: dir, isRelative: true, electronVersionOverride: '45.5.0', excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] });
  } finally {
    console.log = log;
  }
}

const severe = (result: ScanResult) => result.issues.filter((issue) => issue.severity.value > LOW);

describe('electron security scan (electronegativity)', () => {
  it('finds a window without isolation in a deliberately unsafe file, so a clean result means something', async () => {
    const result = await scanTree(async (dir) => {
      await mkdir(join(dir, 'src'), { recursive: true });
      await writeFile(
        join(dir, 'src', 'unsafe.js'),
        "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { contextIsolation: false, nodeIntegration: true, sandbox: false } });\n",
      );
    });
    expect(severe(result).map((issue) => issue.id)).toContain('CONTEXT_ISOLATION_JS_CHECK');
  });

  it('finds nothing above LOW in the main process, preload and renderer but what is suppressed with a reason', async () => {
    const { suppressions } = JSON.parse(await readFile(new URL('./electron-security-scan.suppressions.json', import.meta.url), 'utf8')) as {
      suppressions: Array<{ id: string; file: string; reason: string }>;
    };
    for (const s of suppressions) expect(s.reason.length, `the suppression of ${s.id} in ${s.file} needs a reason`).toBeGreaterThan(40);

    const result = await scanTree(async (dir) => {
      for (const folder of SCANNED) await cp(join(REPO, folder), join(dir, folder), { recursive: true, filter: (source) => !/\.spec\.tsx?$/.test(source) });
    });
    expect(result.atomicChecks).toBeGreaterThan(20);
    expect(result.errors.filter((e) => !e.tolerable).map((e) => `${e.file}: ${e.message}`)).toEqual([]);

    const isSuppressed = (issue: Issue) => suppressions.some((s) => s.id === issue.id && s.file === issue.file);
    const unexplained = severe(result)
      .filter((issue) => !isSuppressed(issue))
      .map((issue) => `${issue.severity.name} ${issue.id} at ${issue.file}:${issue.location.line}: ${issue.description}`);
    expect(unexplained, 'fix these, or add them with a reason to electron-security-scan.suppressions.json').toEqual([]);

    const stale = suppressions.filter((s) => !severe(result).some((issue) => issue.id === s.id && issue.file === s.file)).map((s) => `${s.id} in ${s.file}`);
    expect(stale, 'these suppressions match no finding any more: remove them').toEqual([]);
  }, 120_000);
});
