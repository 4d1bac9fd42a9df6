#!/usr/bin/env node
// Checks queries/highlights.scm against .infra files, with the tree-sitter
// CLI (`tree-sitter query`), for two properties that `tree-sitter test`
// cannot see:
//
// 1. No two patterns capture the same node under different names. Editors
//    disagree on which pattern wins (older ones took the first, current
//    ones the last, and tree-sitter's highlighter drops the losing match
//    with all its captures); without overlaps the result is the same
//    everywhere.
// 2. Every token worth colouring (names, keywords, literals, operators) is
//    captured on its own, so no part of a program is left uncoloured.
//
// Usage: node test/check-highlights.js FILE.infra... (run from the grammar
// directory, or pass --grammar DIR). Exits 1 and lists the offending tokens
// on failure.
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

// Tokens that must each carry a highlight of their own.
const COVERAGE_QUERY = `
[
  (identifier) (property_identifier) (type_identifier) (namespace_identifier)
  (cfn_type) (builtin_type) (number) (true) (false) (null) (escape_sequence)
  (line_comment) (doc_comment) (inner_doc_comment) (block_comment)
  (string) (multiline_string)
  "param" "let" "resource" "existing" "output" "construct" "stack" "mapping" "import"
  "from" "as" "for" "in" "if" "override"
  "==" "!=" "&&" "||" "!" "=" "?" "@" "..." "\${"
] @token
`;

function parseArgs(argv) {
  const args = { grammar: path.resolve(__dirname, ".."), files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--grammar") {
      args.grammar = path.resolve(argv[++i]);
    } else {
      args.files.push(path.resolve(argv[i]));
    }
  }
  return args;
}

// Runs `tree-sitter query` and returns its captures, one object each.
function query(grammarDir, queryPath, files) {
  const output = execFileSync("tree-sitter", ["query", queryPath, ...files], {
    cwd: grammarDir,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const captures = [];
  let file = null;
  const captureLine = /^\s+capture: (?:\d+ - )?([\w.]+), start: \((\d+), (\d+)\), end: \((\d+), (\d+)\)(?:, text: `(.*)`)?$/;
  for (const line of output.split("\n")) {
    if (line.length > 0 && !line.startsWith(" ")) {
      file = line.trim();
      continue;
    }
    const m = captureLine.exec(line);
    if (m) {
      const [, name, sr, sc, er, ec, text] = m;
      captures.push({ file, name, range: `${sr}:${sc}-${er}:${ec}`, text: text ?? "" });
    }
  }
  return captures;
}

function main() {
  const { grammar, files } = parseArgs(process.argv.slice(2));
  if (files.length === 0) {
    console.error("usage: check-highlights.js [--grammar DIR] FILE.infra...");
    process.exit(2);
  }
  // Captures named `_x` (for predicates) count too: the tree-sitter
  // highlighter drops a whole match when a later pattern captures one of its
  // nodes, highlights and all.
  const highlights = query(grammar, path.join(grammar, "queries", "highlights.scm"), files);
  const coverageFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "infra-hl-")), "coverage.scm");
  fs.writeFileSync(coverageFile, COVERAGE_QUERY);
  const tokens = query(grammar, coverageFile, files);

  const namesByNode = new Map();
  for (const c of highlights) {
    const key = `${c.file}:${c.range}`;
    if (!namesByNode.has(key)) namesByNode.set(key, { names: new Set(), text: c.text });
    namesByNode.get(key).names.add(c.name);
  }

  const problems = [];
  for (const [key, { names, text }] of namesByNode) {
    if (names.size > 1) {
      problems.push(`${key} \`${text}\` has several highlights: ${[...names].join(", ")}`);
    }
  }
  const seen = new Set();
  for (const t of tokens) {
    const key = `${t.file}:${t.range}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const node = namesByNode.get(key);
    if (!node || [...node.names].every((name) => name.startsWith("_"))) {
      problems.push(`${key} \`${t.text}\` has no highlight`);
    }
  }

  if (problems.length > 0) {
    for (const p of problems) console.error(p);
    console.error(`check-highlights: ${problems.length} problem(s) in ${files.length} file(s)`);
    process.exit(1);
  }
  console.log(`check-highlights: ${seen.size} tokens in ${files.length} file(s), each with exactly one highlight`);
}

main();
