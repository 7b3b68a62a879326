/** One shell word, single-quoted: nothing inside is expanded. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * A heredoc delimiter that occurs nowhere in `body` as a line, so a file's
 * content can never end the heredoc early, whatever it holds.
 */
export function heredocDelimiter(body: string, base = 'PORTHOLE_EOF'): string {
  const lines = new Set(body.split('\n'));
  let delimiter = base;
  for (let n = 1; lines.has(delimiter); n++) delimiter = `${base}_${n}`;
  return delimiter;
}

/** A quoted heredoc writing `content` exactly (a missing final newline included) to stdout of `command`. */
export function heredoc(command: string, content: string): string {
  const delimiter = heredocDelimiter(content);
  if (content.endsWith('\n') || content === '') return `${command} <<'${delimiter}'\n${content}${delimiter}`;
  // A heredoc always ends its body with a newline; strip the one this content lacks.
  return `printf '%s' "$(cat <<'${delimiter}'\n${content}\n${delimiter}\n)" | ${command}`;
}
