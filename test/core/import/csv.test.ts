import { describe, expect, it } from "vitest";
import { CsvReader, type CsvRecord, DEFAULT_CSV_LIMITS } from "../../../src/core/import/csv.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Every record of `bytes` fed in chunks of `size` bytes, and the encoding the reader chose. */
function read(bytes: Uint8Array, size = bytes.length || 1): { records: CsvRecord[]; encoding: string | null } {
  const { records, encoding } = readWith(bytes, size);
  return { records, encoding };
}

function readWith(bytes: Uint8Array, size: number) {
  const reader = new CsvReader();
  const records: CsvRecord[] = [];
  for (let i = 0; i < bytes.length; i += size) records.push(...reader.push(bytes.subarray(i, i + size)));
  records.push(...reader.end());
  return { records, encoding: reader.encoding, separator: reader.separator };
}

const rows = (text: string) => read(utf8(text)).records;

describe("CsvReader", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, numbering rows by their first line", () => {
    expect(rows('a,b\r\n"x, y","say ""hi""\r\nthere"\r\nlast,row\r\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"\r\nthere'] },
      { line: 4, fields: ["last", "row"] },
    ]);
  });

  it("ends rows at CRLF, LF and a lone CR alike, and needs no line end after the last row", () => {
    expect(rows("a\rb\nc\r\nd")).toEqual([
      { line: 1, fields: ["a"] },
      { line: 2, fields: ["b"] },
      { line: 3, fields: ["c"] },
      { line: 4, fields: ["d"] },
    ]);
    expect(rows('"a\rb"\r"c\nd"\ne')).toEqual([
      { line: 1, fields: ["a\rb"] },
      { line: 3, fields: ["c\nd"] },
      { line: 5, fields: ["e"] },
    ]);
  });

  it("skips blank lines and rows of empty cells, still counting their lines", () => {
    expect(rows("a\n\n,,\r\n\rb\n")).toEqual([
      { line: 1, fields: ["a"] },
      { line: 5, fields: ["b"] },
    ]);
  });

  it("keeps ragged rows as they are, and empty fields at either end", () => {
    expect(rows("a,b,c\nd\n,e,\n")).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["d"] },
      { line: 3, fields: ["", "e", ""] },
    ]);
  });

  it("keeps text after a closing quote and a quote inside an unquoted field, as spreadsheets do", () => {
    expect(rows('"a"b,c"d\n')).toEqual([{ line: 1, fields: ["ab", 'c"d'] }]);
  });

  it("reports a quoted field left open at the end of the file with the line it opened on", () => {
    expect(rows('a,b\nc,"open\nstill\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, error: "a quoted field opened on line 2 is never closed (a missing '\"')" },
    ]);
  });

  it("gives the same rows whatever the chunk size, even cutting CRLF and UTF-8 sequences", () => {
    const text = '\ufeffname,note\r\n"Zoë, ""Z""","два\r\nрядка 🙂"\r\nÉmile,x\rlast\n';
    const whole = read(utf8(text));
    expect(whole.records).toEqual([
      { line: 1, fields: ["name", "note"] },
      { line: 2, fields: ['Zoë, "Z"', "два\r\nрядка 🙂"] },
      { line: 4, fields: ["Émile", "x"] },
      { line: 5, fields: ["last"] },
    ]);
    for (const size of [1, 2, 3, 5, 7]) expect(read(utf8(text), size)).toEqual(whole);
  });

  it("strips a UTF-8 byte order mark only at the start of the file", () => {
    expect(read(utf8("\ufeffemail\n"))).toEqual({ records: [{ line: 1, fields: ["email"] }], encoding: "utf-8" });
    expect(read(utf8("email\n\ufeffx\n"), 1).records[1]).toEqual({ line: 2, fields: ["\ufeffx"] });
  });

  it("reads a file whose bytes are not UTF-8 as Windows-1252, deciding once for the whole file", () => {
    // "Zoë" in Latin-1, then bytes 0x80 and 0x93/0x94 that only Windows-1252 defines.
    const bytes = Uint8Array.from([...utf8("a,Zo"), 0xeb, 0x0a, 0x80, 0x20, 0x93, 0x71, 0x94, 0x0a]);
    const expected = {
      records: [
        { line: 1, fields: ["a", "Zoë"] },
        { line: 2, fields: ["€ “q”"] },
      ],
      encoding: "windows-1252",
    };
    expect(read(bytes)).toEqual(expected);
    expect(read(bytes, 1)).toEqual(expected);
  });

  it("keeps UTF-8 once chosen: a later stray byte becomes U+FFFD in its row only", () => {
    const bytes = Uint8Array.from([...utf8("é\n"), 0xe9, 0x0a, ...utf8("ok\n")]);
    expect(read(bytes)).toEqual({
      records: [
        { line: 1, fields: ["é"] },
        { line: 2, fields: ["\ufffd"] },
        { line: 3, fields: ["ok"] },
      ],
      encoding: "utf-8",
    });
  });

  it("says nothing about the encoding of an all-ASCII file, and decides a file ending mid-sequence", () => {
    expect(read(utf8("a\n")).encoding).toBeNull();
    expect(read(Uint8Array.from([0x61, 0xc3]))).toEqual({
      records: [{ line: 1, fields: ["aÃ"] }],
      encoding: "windows-1252",
    });
  });

  it("refuses UTF-16 with a message saying how to save the file", () => {
    for (const bom of [
      [0xff, 0xfe],
      [0xfe, 0xff],
    ]) {
      for (const size of [1, 4]) {
        expect(read(Uint8Array.from([...bom, 0x61, 0, 0x0a, 0]), size).records).toEqual([
          { line: 1, error: 'the file is UTF-16 text; save it as "CSV UTF-8" instead' },
        ]);
      }
    }
  });

  it("takes the separator a spreadsheet saved with from the first line: semicolon or tab", () => {
    const semicolons = readWith(utf8('email;name;tags\r\na@example.com;"Doe; Jane";"x, y"\r\n'), 3);
    expect(semicolons).toMatchObject({
      separator: ";",
      records: [
        { line: 1, fields: ["email", "name", "tags"] },
        { line: 2, fields: ["a@example.com", "Doe; Jane", "x, y"] },
      ],
    });
    expect(readWith(utf8("email\tname\na@example.com\tA, B\n"), 1)).toMatchObject({
      separator: "\t",
      records: [
        { line: 1, fields: ["email", "name"] },
        { line: 2, fields: ["a@example.com", "A, B"] },
      ],
    });
    // Separators inside quotes do not count; a tie, or none at all, stays with the comma.
    expect(readWith(utf8('"a;b;c",d\n"x;y;z",w\n'), 2).records).toEqual([
      { line: 1, fields: ["a;b;c", "d"] },
      { line: 2, fields: ["x;y;z", "w"] },
    ]);
    expect(readWith(utf8("a;b,c\n"), 1)).toMatchObject({ separator: ",", records: [{ fields: ["a;b", "c"] }] });
    expect(readWith(utf8("email\n"), 1)).toMatchObject({ separator: ",", records: [{ fields: ["email"] }] });
  });

  it("follows Excel's sep= line, numbering the rows after it from line 2", () => {
    expect(readWith(utf8("sep=;\r\nemail;name\r\na@example.com;A,B\r\n"), 1)).toMatchObject({
      separator: ";",
      records: [
        { line: 2, fields: ["email", "name"] },
        { line: 3, fields: ["a@example.com", "A,B"] },
      ],
    });
  });

  it("reads an empty file as no rows", () => {
    expect(read(new Uint8Array(0)).records).toEqual([]);
  });
});

describe("CsvReader limits", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_CSV_LIMITS).toEqual({ field: 16384, row: 65536, fields: 512 });
  });

  it("takes a field of 16 384 characters and refuses one of 16 385, then reads on", () => {
    expect(rows(`${"x".repeat(16384)}\nnext\n`)[0]).toEqual({ line: 1, fields: ["x".repeat(16384)] });
    expect(rows(`"${"x".repeat(16385)}"\nnext\n`)).toEqual([
      { line: 1, error: "a field is longer than 16384 characters" },
      { line: 2, fields: ["next"] },
    ]);
  });

  it("takes a row of 65 536 characters and refuses one of 65 537", () => {
    const field = "y".repeat(16384);
    expect(rows(`${[field, field, field, field].join(",")}\n`)).toHaveLength(1);
    expect(rows(`${[field, field, field, field].join(",")}\n`)[0]).not.toHaveProperty("error");
    expect(rows(`${[field, field, field, field, "z"].join(",")}\n`)).toEqual([
      { line: 1, error: "the row is longer than 65536 characters" },
    ]);
  });

  it("takes 512 fields and refuses 513", () => {
    expect(rows(`${"a,".repeat(511)}a\n`)[0]).toEqual({ line: 1, fields: Array(512).fill("a") });
    expect(rows(`${"a,".repeat(512)}a\nb\n`)).toEqual([
      { line: 1, error: "the row has more than 512 columns" },
      { line: 2, fields: ["b"] },
    ]);
  });
});

describe("CsvReader on hostile input", () => {
  const MB = 1 << 20;

  it("finishes 1 MB of quotes", () => {
    // An opening quote, then doubled quotes: one quoted field far over the limit, closed at the end.
    expect(rows('"'.repeat(MB))).toEqual([{ line: 1, error: "a field is longer than 16384 characters" }]);
    expect(rows('"'.repeat(MB + 1))).toEqual([
      { line: 1, error: "a quoted field opened on line 1 is never closed (a missing '\"')" },
    ]);
  });

  it("finishes one huge quoted field with line breaks, fed in small chunks", () => {
    const text = `"${"line\r\n".repeat(MB / 8)}",after\nnext\n`;
    const { records } = read(utf8(text), 4096);
    expect(records).toEqual([
      { line: 1, error: "a field is longer than 16384 characters" },
      { line: MB / 8 + 2, fields: ["next"] },
    ]);
  });

  it("finishes 1 MB of commas, of line breaks and of quote-comma pairs", () => {
    expect(rows(",".repeat(MB))).toEqual([{ line: 1, error: "the row has more than 512 columns" }]);
    expect(rows("\n".repeat(MB))).toEqual([]);
    // '","' is a quoted comma: half a million of them are fields, far more than a row may hold.
    expect(rows('",'.repeat(MB / 2))).toEqual([{ line: 1, error: "the row has more than 512 columns" }]);
  });
});
