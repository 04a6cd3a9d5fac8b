// CSV for spreadsheets (RFC 4180): every field quoted, quotes doubled, rows ended by CRLF. A
// field a spreadsheet would run as a formula gets a leading apostrophe (OWASP, "CSV Injection").

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvRow(values: readonly string[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
