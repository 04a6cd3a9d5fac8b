// Text hygiene shared by every write path, and escaping for HTML/XML output.

// Characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE/U+FFFF), plus DEL, the
// C1 controls and U+FFFD (what lone surrogates become): feed validators flag those as bad
// characters, and no reader shows them usefully. Also SITE_MARK, which only the sanitizer writes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uE002\uFFFD\uFFFE\uFFFF]/g;

/**
 * Stands for this site's origin at the start of a stored URL (see SanitizeOptions.siteOrigin), so
 * links do not depend on the host or port the content was written under. A private-use character
 * that cleanText strips from every input, so no input can forge one.
 */
export const SITE_MARK = "\uE002";

/** Makes a string safe to store and to put in any feed: no lone surrogates, no control characters, LF newlines. */
export function cleanText(value: string): string {
  return value.toWellFormed().replace(/\r\n?/g, "\n").replace(UNWANTED, "");
}

// What a one-line field (a title, a name) may not hold: line breaks of any kind and every other
// control character, tab included, since a title becomes an email's Subject.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NOT_IN_A_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const CHARACTER_NAMES: Record<string, string> = {
  "\t": "a tab",
  "\n": "a line break",
  "\r": "a carriage return",
  "\u0085": "a next-line character",
  "\u2028": "a line separator",
  "\u2029": "a paragraph separator",
};

/** Why the text is not one line ("... U+000D (a carriage return) at character 9"), or null. */
export function oneLineError(value: string): string | null {
  const match = NOT_IN_A_LINE.exec(value);
  if (!match) return null;
  const found = match[0];
  const code = `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  const name = CHARACTER_NAMES[found] ?? "a control character";
  // Counted in characters as a person sees them, not UTF-16 units.
  const at = [...value.slice(0, match.index)].length + 1;
  return `must be one line without control characters: it has ${code} (${name}) at character ${at}`;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const NEEDS_ESCAPE = /[&<>"']/;

/** Escapes text for an HTML/XML text node or a double- or single-quoted attribute. */
export function escapeHtml(value: string): string {
  // Most text has nothing to escape; a test is much cheaper than a replace with a callback.
  return NEEDS_ESCAPE.test(value) ? value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch) : value;
}

/** Shortens plain text to at most `max` characters at a word boundary, with an ellipsis. */
export function truncateWords(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

/** The text with its first letter capitalized, for a message that starts a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Plain text broken into lines of at most `width` characters at spaces (a longer word keeps its own line). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
