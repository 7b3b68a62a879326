import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { PortholeApi } from '../../shared/contract';
import type { LogSource, LogViewTarget } from '../../shared/workspace-log';
import { describeFailure } from '../api/contract-call-error';
import { copiedText, filterLines, highlightParts } from '../log-filter';
import { atEnd, rowWindow, scrollTopFor } from '../log-window';
import { LOG_REACHES, useLogStream, type LogReach, type ViewedLine } from '../state/use-log-stream';
import { ModalDialog } from './modal-dialog';

const SOURCES: readonly LogSource[] = ['provision', 'code-server', 'idle', 'system'];
/** Matches .log-line's height in styles.css: every row is one line high, so the window math needs no measuring. */
export const LOG_ROW_HEIGHT = 18;
const OVERSCAN = 20;
/** Within this many pixels of the end counts as at the end: a fractional scroll offset must not stop the follow. */
const END_SLACK = 4;

/**
 * A workspace's logs, followed live: only the rows in view are in the DOM,
 * so 50,000 lines scroll like 50. It follows the end until the user scrolls
 * up ("Jump to latest" resumes), filters by log and search text, and copies
 * the selected lines (click, Shift+click, Ctrl+C) or every line shown. Opened
 * at a provisioning step, it scrolls to that step's line.
 */
export function LogViewer(props: { api: PortholeApi; target: LogViewTarget; onClose: () => void }) {
  const { api, target, onClose } = props;
  const id = useId();
  // A step's line may be far above the last 1,000: a viewer opened at one reads the whole log.
  const [reach, setReach] = useState<LogReach>(target.step === undefined ? 'recent' : 'all');
  const stream = useLogStream(api, target, reach);
  const [sources, setSources] = useState<ReadonlySet<LogSource>>(() => new Set(target.source ? [target.source] : SOURCES));
  const [search, setSearch] = useState('');
  const [following, setFollowing] = useState(target.step === undefined);
  const [selection, setSelection] = useState<{ anchor: number; focus: number }>();
  // Said here, not in a notice: the page's notices sit behind this modal dialog.
  const [copyNote, setCopyNote] = useState<string>();
  const [viewport, setViewport] = useState({ scrollTop: 0, height: 400 });
  const scroller = useRef<HTMLDivElement>(null);
  const spacer = useRef<HTMLDivElement>(null);
  const rows = useRef<HTMLDivElement>(null);
  const jumpedToStep = useRef(false);

  // stream.version changes whenever lines arrive into the same array.
  const shown = useMemo(() => filterLines(stream.lines, sources, search), [stream.lines, stream.version, sources, search]);
  const height = viewport.height;
  const endTop = Math.max(0, shown.length * LOG_ROW_HEIGHT - height);
  const span = rowWindow({ scrollTop: following ? endTop : viewport.scrollTop, height }, shown.length, LOG_ROW_HEIGHT, OVERSCAN);

  const measure = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    const now = { scrollTop: element.scrollTop, height: element.clientHeight || 400 };
    setViewport(now);
    setFollowing(atEnd(now, element.scrollHeight, END_SLACK));
  }, []);

  // Sizes and offsets go through the CSSOM: the page's CSP allows no style attributes.
  useLayoutEffect(() => {
    if (spacer.current) spacer.current.style.height = `${span.height}px`;
    if (rows.current) rows.current.style.transform = `translateY(${span.top}px)`;
    const element = scroller.current;
    if (following && element && element.scrollTop !== endTop) element.scrollTop = endTop;
  });

  useEffect(() => {
    const element = scroller.current;
    if (element) setViewport((v) => ({ ...v, height: element.clientHeight || v.height }));
  }, []);

  // Opened at a failed step: go to the line that began it, once, and select it.
  const stepLine = target.step === undefined ? undefined : stream.lines.findLast((line) => line.source === 'provision' && line.step === target.step);
  useLayoutEffect(() => {
    if (!stepLine || jumpedToStep.current || !scroller.current) return;
    const index = shown.indexOf(stepLine);
    if (index < 0) return;
    jumpedToStep.current = true;
    setFollowing(false);
    setSelection({ anchor: stepLine.seq, focus: stepLine.seq });
    scroller.current.scrollTop = scrollTopFor(index, shown.length, LOG_ROW_HEIGHT, scroller.current.clientHeight);
    measure();
  }, [stepLine, shown, measure]);

  const [low, high] = selection ? [Math.min(selection.anchor, selection.focus), Math.max(selection.anchor, selection.focus)] : [-1, -2];
  const selected = useMemo(() => shown.filter((line) => line.seq >= low && line.seq <= high), [shown, low, high]);

  const copy = (lines: readonly ViewedLine[]) => {
    if (lines.length === 0) return;
    api.copyText({ text: copiedText(lines) }).then(
      () => setCopyNote(`${lines.length.toLocaleString('en')} line${lines.length === 1 ? '' : 's'} copied to the clipboard.`),
      (error: unknown) => {
        const failure = describeFailure(error);
        setCopyNote(`Copying failed: ${failure.message}${failure.fix ? ` ${failure.fix}` : ''}`);
      },
    );
  };

  const select = useCallback((line: ViewedLine, event: MouseEvent) => {
    setSelection((current) => (event.shiftKey && current ? { anchor: current.anchor, focus: line.seq } : { anchor: line.seq, focus: line.seq }));
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    // Text the user selected with the mouse is the browser's to copy; whole lines are ours.
    if ((event.ctrlKey || event.metaKey) && event.key === 'c' && selected.length > 0 && !document.getSelection()?.toString()) {
      event.preventDefault();
      copy(selected);
    }
  };

  const toggle = (source: LogSource) =>
    setSources((current) => {
      const next = new Set(current);
      if (next.has(source)) next.delete(source);
      else next.add(source);
      return next;
    });

  const jumpToLatest = () => {
    setFollowing(true);
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  };

  return (
    <ModalDialog title={`Logs of ${target.name}`} onClose={onClose}>
      <div className="log-viewer">
        <div className="log-toolbar">
          <fieldset className="log-sources">
            <legend>Logs</legend>
            {SOURCES.map((source) => (
              <label key={source}>
                <input type="checkbox" checked={sources.has(source)} onChange={() => toggle(source)} />
                {source}
              </label>
            ))}
          </fieldset>
          <label>
            Since{' '}
            <select value={reach} onChange={(event) => setReach(event.target.value as LogReach)}>
              {LOG_REACHES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Search <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="text in a line" />
          </label>
        </div>
        <p className="log-status" aria-live="polite" id={`${id}-status`}>
          {shown.length.toLocaleString('en')} of {stream.lines.length.toLocaleString('en')} lines{selected.length > 0 ? `, ${selected.length.toLocaleString('en')} selected` : ''}
          {following ? ' — following' : ''}
          {copyNote ? ` ${copyNote}` : ''}
        </p>
        {stream.problem && (
          <p className="reason log-problem" role="alert">
            {stream.problem}{' '}
            <button type="button" onClick={stream.reopen}>
              Read again
            </button>
          </p>
        )}
        <div
          className="log-scroller"
          ref={scroller}
          onScroll={measure}
          onKeyDown={onKeyDown}
          tabIndex={0}
          role="listbox"
          aria-multiselectable="true"
          aria-label={`Log lines of ${target.name}`}
          aria-describedby={`${id}-status`}
          data-line-count={shown.length}
          data-following={following}
        >
          <div className="log-spacer" ref={spacer}>
            <div className="log-rows" ref={rows}>
              {shown.slice(span.first, span.last).map((line) => (
                <LogRow key={line.seq} line={line} search={search} selected={line.seq >= low && line.seq <= high} onSelect={select} />
              ))}
            </div>
          </div>
        </div>
        <div className="dialog-buttons">
          {!following && (
            <button type="button" className="jump-to-latest" onClick={jumpToLatest}>
              Jump to latest
            </button>
          )}
          <button type="button" disabled={selected.length === 0} onClick={() => copy(selected)}>
            Copy selection
          </button>
          <button type="button" disabled={shown.length === 0} onClick={() => copy(shown)}>
            Copy all visible
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}

const LogRow = memo(function LogRow(props: { line: ViewedLine; search: string; selected: boolean; onSelect: (line: ViewedLine, event: MouseEvent) => void }) {
  const { line, search, selected, onSelect } = props;
  return (
    <div className="log-line" role="option" aria-selected={selected} data-seq={line.seq} data-source={line.source} data-step={line.step} onClick={(event) => onSelect(line, event)}>
      <span className="log-source">{line.source}</span>
      <span className="log-text">
        {highlightParts(line.text, search).map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : part.text))}
      </span>
    </div>
  );
});
