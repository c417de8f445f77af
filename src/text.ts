// Text from inputs, files and servers on its way into the step log. Pure: no I/O.

/**
 * The text on one line, control characters (line breaks among them) replaced by spaces. The runner reads a workflow
 * command (`::add-mask::`, `::stop-commands::` …) from any line that starts with `::`, so a value that could bring a
 * line of its own into the log could also switch masking off.
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
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
