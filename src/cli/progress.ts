import type { OperationProgress } from '../shared/workspace.js';

/**
 * Shows an operation's current step: a spinner redrawn in place on a
 * terminal, one plain line per step otherwise (logs, CI, pipes), nothing at
 * all in --json mode where stdout belongs to the result.
 */
export interface ProgressView {
  update(progress: OperationProgress): void;
  done(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createProgressView(label: string, stream: NodeJS.WritableStream, mode: 'tty' | 'plain' | 'silent'): ProgressView {
  if (mode === 'silent') return { update() {}, done() {} };
  if (mode === 'plain') {
    let last = '';
    return {
      update(p) {
        const line = `${label}: [${p.index}/${p.total}] ${p.step}`;
        if (line !== last) stream.write(`${line}\n`);
        last = line;
      },
      done() {},
    };
  }
  let frame = 0;
  let text = `${label}…`;
  const draw = () => stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text}`);
  const timer = setInterval(draw, 80);
  timer.unref();
  draw();
  return {
    update(p) {
      text = `${label}: ${bar(p.index, p.total)} ${p.index}/${p.total} ${p.step}`;
      draw();
    },
    done() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}

function bar(index: number, total: number, width = 12): string {
  const filled = total > 0 ? Math.round((Math.max(0, index - 1) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
