/**
 * The one CSV writer of the product (the approvals of a project, the open-data export, the weekly report): a file
 * Excel opens with its Chinese intact and without running anything. UTF-8 with a byte-order mark, CRLF line ends,
 * every field quoted (RFC 4180), and a field a spreadsheet would take for a formula guarded.
 *
 * @example csvDocument([['项目代码', '项目名称'], ['2026-310115-04-01-000001', '=HYPERLINK(…)']])
 * // '\uFEFF"项目代码","项目名称"\r\n"2026-310115-04-01-000001","\'=HYPERLINK(…)"\r\n'
 */

/** What a cell may hold: text, a number, or nothing (an empty cell). */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * One CSV field, always quoted (RFC 4180: a quote doubled). A field a spreadsheet would take for a formula (it
 * starts with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, so opening the file runs nothing.
 */
export function csvField(value: CsvCell): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** Rows as a CSV file: a byte-order mark, then each row's fields (see {@link csvField}) and CRLF. */
export function csvDocument(rows: ReadonlyArray<readonly CsvCell[]>): string {
  return `\uFEFF${rows.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}
