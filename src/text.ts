// Text from inputs, files and servers on its way into the step log. Pure: no I/O.

/**
 * The text as one line that starts no workflow command. The runner reads a command from a line that starts with
 * `::` after white space (`::add-mask::`, `::stop-commands::` …), and its older form `##[name]` from anywhere in a
 * line (actions/runner, src/Runner.Common/ActionCommand.cs: TryParseV2 and TryParse). So control characters (line
 * breaks among them) become spaces, every `##[` becomes `## [`, and a leading `::` becomes `: :`; a value that could
 * write a command could also switch masking off for the rest of the step.
 */
export function oneLine(text: string): string {
  return text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/##\[/g, '## [')
    .replace(/^(\s*):(?=:)/u, '$1: ');
}

/** How much of a server's own text (an STS `Message`, an SDK's error) an error message quotes. */
export const QUOTE_MAX = 300;

/**
 * At most `max` characters of `text`, cut before the word the limit falls in and marked as cut. Cutting before
 * redaction keeps redaction cheap; cutting between words keeps it whole: a token or key the limit would split is
 * dropped entirely rather than left half, where no redaction of the whole value could find it.
 */
export function clip(text: string, max = QUOTE_MAX): string {
  if (text.length <= max) return text;
  let end = max;
  while (end > 0 && !/\s/.test(text[end])) end--;
  return `${text.slice(0, end).trimEnd()} […]`.trimStart();
}
