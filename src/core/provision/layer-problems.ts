import { PortholeError } from '../errors.js';

/** One thing wrong with a layer file: where, what, and what to do. */
export interface LayerProblem {
  /** The file, or `built-in layer <name>`, or the request (`--layers`). */
  file: string;
  /** JSON path in that file, `$` for the whole document. */
  path: string;
  message: string;
  fix: string;
}

export function formatProblem(problem: LayerProblem): string {
  return `${problem.file} ${problem.path}: ${problem.message} ${problem.fix}`;
}

/** Every problem found, reported at once so one edit round fixes them all. */
export class LayerProblemsError extends PortholeError {
  readonly problems: readonly LayerProblem[];

  constructor(problems: readonly LayerProblem[]) {
    const noun = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    // The fix goes first: the list after it is the one thing to read next.
    super('usage', `The layers have ${noun}; fix each in its file ("porthole layers" checks them again):\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.problems = problems;
  }
}
