/**
 * A small RFC 4180 CSV reader: quoted fields may hold the delimiter, doubled quotes and newlines.
 * The delimiter is "," or ";" (Dutch spreadsheet exports), taken from the header line.
 */
export class CsvError extends Error {}

function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Rows of fields; blank lines are skipped. Throws CsvError on an unclosed quote. */
export function parseCsv(input: string): string[][] {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'); // one newline style, also inside quoted fields
  const delimiter = detectDelimiter(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  const endRow = (): void => {
    row.push(field);
    if (row.length > 1 || row[0].trim() !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      quoteLine = line;
      field = '';
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      line++;
      endRow();
    } else field += ch;
  }
  if (quoted) throw new CsvError(`unclosed quote starting on line ${quoteLine}`);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Rows as objects keyed by the (trimmed, lower-case) header names. */
export function parseCsvRecords(input: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(input);
  if (!header) throw new CsvError('the file is empty');
  const keys = header.map((h) => h.trim().toLowerCase());
  return rows.map((r, n) => {
    if (r.length > keys.length) throw new CsvError(`row ${n + 2} has ${r.length} fields, the header has ${keys.length}`);
    return Object.fromEntries(keys.map((k, i) => [k, (r[i] ?? '').trim()]));
  });
}
