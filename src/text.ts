// Text from inputs, files and servers on its way into the step log. Pure: no I/O.

/**
 * The text on one line, control characters (line breaks among them) replaced by spaces. The runner reads a workflow
 * command (`::add-mask::`, `::stop-commands::` …) from any line that starts with `::`, so a value that could bring a
 * line of its own into the log could also switch masking off.
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
}
