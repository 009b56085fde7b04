import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.ts";
import { readCsvRecords, type CsvSource } from "./csv.ts";

async function read(source: CsvSource) {
  const records: [number, string[]][] = [];
  for await (const record of readCsvRecords(source)) records.push([record.rowNumber, record.cells]);
  return records;
}

/** The buffer as a stream of `size`-byte chunks. */
function bytes(buffer: Buffer, size: number): AsyncIterable<Buffer> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) chunks.push(buffer.subarray(i, i + size));
  return Readable.from(chunks);
}

describe("readCsvRecords", () => {
  it("reads a comma file with quoted newlines, quotes, blank lines and ragged rows", async () => {
    const text =
      'Name,Email,Notes\r\n"Lin, Maya",maya@example.com,"line one\nline ""two"""\r\n\r\n  Bob  ,bob@,\r\nAnn\r\nZoe,z@example.com,x,extra\r\n';
    expect(await read(text)).toEqual([
      [1, ["Name", "Email", "Notes"]],
      [2, ["Lin, Maya", "maya@example.com", 'line one\nline "two"']],
      [3, [""]],
      [4, ["Bob", "bob@", ""]],
      [5, ["Ann"]],
      [6, ["Zoe", "z@example.com", "x", "extra"]],
    ]);
  });

  it("detects semicolons from the header line and drops the byte-order mark", async () => {
    const text = "\uFEFFNom;E-mail;Ville\nÉlodie;elodie@example.fr;Paris, France\n";
    expect(await read(text)).toEqual([
      [1, ["Nom", "E-mail", "Ville"]],
      [2, ["Élodie", "elodie@example.fr", "Paris, France"]],
    ]);
    const buffer = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.slice(1))]);
    expect(await read(bytes(buffer, 3))).toEqual(await read(text));
  });

  it("keeps multi-byte characters split across chunks, and reads Windows-1252 files", async () => {
    const text = "Name,City\nJosé Núñez,Zürich 🌿\n";
    expect(await read(bytes(Buffer.from(text), 1))).toEqual([
      [1, ["Name", "City"]],
      [2, ["José Núñez", "Zürich 🌿"]],
    ]);
    const cp1252 = Buffer.from([
      ...Buffer.from("Name,Note\nRen"),
      0xe9,
      ...Buffer.from(",costs 5"),
      0x80,
      0x0a,
    ]);
    expect(await read(bytes(cp1252, 4))).toEqual([
      [1, ["Name", "Note"]],
      [2, ["René", "costs 5€"]],
    ]);
  });

  it("refuses binary files and workbooks with a clear message", async () => {
    const xlsx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    await expect(read(bytes(xlsx, 100))).rejects.toThrow(/Excel workbook/);
    await expect(read(bytes(Buffer.from([1, 2, 3, 0, 5, 6]), 100))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(read("Name\u0000,x\n")).rejects.toThrow(/not a CSV text file/);
  });

  it("reports a quote never closed", async () => {
    await expect(read('Name,Email\n"Maya,maya@example.com\n')).rejects.toThrow(
      /quoted cell is never closed/,
    );
  });

  it("streams: a large input is read without being held whole", async () => {
    function* generated() {
      yield "Name,Email\n";
      for (let i = 0; i < 20_000; i += 1) yield `Person ${i},p${i}@example.com\n`;
    }
    let count = 0;
    for await (const record of readCsvRecords(Readable.from(generated()))) {
      count = record.rowNumber;
    }
    expect(count).toBe(20_001);
  });

  it("stops reading when the consumer stops", async () => {
    let produced = 0;
    function* endless() {
      yield "Name\n";
      for (;;) {
        produced += 1;
        yield `row ${produced}\n`;
      }
    }
    for await (const record of readCsvRecords(Readable.from(endless()))) {
      if (record.rowNumber === 10) break;
    }
    const after = produced;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(produced).toBe(after);
    expect(produced).toBeLessThan(100_000);
  });
});
