/**
 * CSV for spreadsheets (RFC 4180): CRLF line ends, fields with a comma, quote, line break or
 * edge spaces quoted with quotes doubled, and a UTF-8 byte order mark so Excel reads
 * Vietnamese correctly.
 */

export type CsvValue = string | number | boolean | null | undefined;

/** Makes Excel open UTF-8 CSV as UTF-8. */
export const BOM = '\uFEFF';

/**
 * Citizens' text is untrusted: a cell starting with = + - @ (or a tab/CR) would run as a
 * formula in Excel, so such text cells get a leading apostrophe. Numbers are left alone.
 */
function defuse(value: string): string {
  return /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
}

/** One CSV field. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? defuse(value) : String(value);
  return /[",\r\n]|^\s|\s$/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

/** The whole file: BOM, header row, then one row per record. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
