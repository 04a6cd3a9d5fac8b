// A strict RFC 4180 reader for the tests of the CSV exports: what a spreadsheet would read back.

/** RFC 4180, strictly: quoted or bare fields, "" inside quotes, CRLF after every record. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          const quote = text.indexOf('"', i);
          if (quote < 0) throw new Error("unterminated quoted field");
          field += text.slice(i, quote);
          i = quote + 1;
          if (text[i] === '"') {
            field += '"';
            i++;
          } else break;
        }
      } else {
        const end = text.slice(i).search(/[,\r]/);
        field = end < 0 ? text.slice(i) : text.slice(i, i + end);
        if (field.includes('"') || field.includes("\n")) throw new Error(`bad bare field: ${field}`);
        i += field.length;
      }
      record.push(field);
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text.slice(i, i + 2) !== "\r\n") throw new Error(`record not ended by CRLF at ${i}`);
      i += 2;
      break;
    }
    records.push(record);
  }
  return records;
}
