// `npm run bench` writes its figures into docs/benchmarks.md: between its own markers, nowhere else.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { recordOutput, replaceSection, sectionBody } from "../../bench/results.js";

const doc = [
  "# Benchmarks",
  "",
  "<!-- bench:all:start -->",
  "old figures",
  "<!-- bench:all:end -->",
  "",
  "<!-- bench:scale:start -->",
  "old scale figures",
  "<!-- bench:scale:end -->",
  "",
  "Recorded by hand.",
  "",
].join("\n");

describe("replaceSection", () => {
  it("replaces the text between one section's markers and keeps everything else", () => {
    expect(replaceSection(doc, "all", "new figures\n")).toBe(doc.replace("old figures", "new figures"));
  });

  it("writes over its own earlier output, so a second run leaves one copy", () => {
    const twice = replaceSection(replaceSection(doc, "scale", "first"), "scale", "second");
    expect(twice).toBe(doc.replace("old scale figures", "second"));
  });

  it("refuses a file without the section, naming the file and the marker", () => {
    expect(() => replaceSection("# Benchmarks\n", "all", "x")).toThrow(
      'docs/benchmarks.md: no "<!-- bench:all:start -->" ... "<!-- bench:all:end -->" section',
    );
    expect(() => replaceSection("<!-- bench:all:start -->\n", "all", "x")).toThrow("bench:all:end");
  });
});

describe("docs/benchmarks.md", () => {
  it("has both sections the bench writes, so a long run does not fail at its end", () => {
    const file = readFileSync("docs/benchmarks.md", "utf8");
    for (const name of ["all", "scale"]) {
      expect(replaceSection(file, name, "written")).toContain(
        `<!-- bench:${name}:start -->\nwritten\n<!-- bench:${name}:end -->`,
      );
    }
  });
});

describe("recordOutput", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes what the run printed, and which run it was, into its section", () => {
    dir = mkdtempSync(join(tmpdir(), "bench-results-"));
    const path = join(dir, "benchmarks.md");
    writeFileSync(path, doc);
    const original = console.log;
    const results = recordOutput("npm run bench -- --scale", pathToFileURL(path));
    console.log("home", 7.1, "ms");
    console.log("\u001b[32mfeed.xml\u001b[39m  3.6 ms");
    results.write("scale");
    expect(console.log).toBe(original);

    const written = readFileSync(path, "utf8");
    expect(written).toContain("old figures");
    expect(written).not.toContain("old scale figures");
    expect(written).toContain("Recorded by hand.");
    const section = written.slice(
      written.indexOf("<!-- bench:scale:start -->"),
      written.indexOf("<!-- bench:scale:end -->"),
    );
    expect(section).toMatch(/^<!-- bench:scale:start -->\n`npm run bench -- --scale`, \d{4}-\d\d-\d\d \d\d:\d\d UTC, /);
    expect(section).toContain("```text\nhome 7.1 ms\nfeed.xml  3.6 ms\n```\n");
  });
});

describe("sectionBody", () => {
  it("says when and where the figures were measured", () => {
    const body = sectionBody(["a 1.00x"], {
      command: "npm run bench",
      when: new Date("2026-12-06T01:02:03Z"),
      machine: "commit abc1234, Node v20.19.0",
    });
    expect(body).toBe("`npm run bench`, 2026-12-06 01:02 UTC, commit abc1234, Node v20.19.0:\n\n```text\na 1.00x\n```");
  });
});
