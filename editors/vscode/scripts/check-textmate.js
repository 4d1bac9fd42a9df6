#!/usr/bin/env node
// Tokenizes whole .infra programs with the TextMate grammar, as VS Code
// does, and checks that the grammar keeps track of them:
// - no token is scoped invalid.illegal (such as an unknown escape), and
// - at the end of the file no region is left open (a string, comment,
//   interpolation, block or decorator that never ended would otherwise
//   colour everything after it).
//
// Usage: node scripts/check-textmate.js FILE.infra...
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const oniguruma = require("vscode-oniguruma");
const textmate = require("vscode-textmate");

const grammarPath = path.resolve(__dirname, "../../../grammar/infra.tmLanguage.json");

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.infra"
        ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath)
        : null,
  });
  return registry.loadGrammar("source.infra");
}

function check(grammar, file) {
  const problems = [];
  const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
  let state = textmate.INITIAL;
  lines.forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      if (token.scopes.some((scope) => scope.startsWith("invalid."))) {
        const text = line.slice(token.startIndex, token.endIndex);
        problems.push(`${file}:${index + 1}:${token.startIndex + 1}: \`${text}\` is ${token.scopes.at(-1)}`);
      }
    }
    state = result.ruleStack;
  });
  // An empty line after the end shows which regions are still open.
  const open = grammar.tokenizeLine("", state).tokens[0].scopes.slice(1);
  if (open.length > 0) {
    problems.push(`${file}: the file ends inside ${open.join(" ")}`);
  }
  return problems;
}

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: check-textmate.js FILE.infra...");
    process.exit(2);
  }
  const grammar = await loadGrammar();
  const problems = files.flatMap((file) => check(grammar, file));
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(`check-textmate: ${problems.length} problem(s) in ${files.length} file(s)`);
    process.exit(1);
  }
  console.log(`check-textmate: ${files.length} file(s) tokenized, nothing invalid, nothing left open`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
