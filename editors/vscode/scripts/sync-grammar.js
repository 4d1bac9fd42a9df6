#!/usr/bin/env node
// Copies the TextMate grammar from grammar/ (its single source) into this
// extension. Runs before every `vsce package` (the vscode:prepublish script);
// syntaxes/ is git-ignored so the copy can never drift from the source.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const source = path.resolve(__dirname, "../../../grammar/infra.tmLanguage.json");
const target = path.resolve(__dirname, "../syntaxes/infra.tmLanguage.json");

const text = fs.readFileSync(source, "utf8");
const grammar = JSON.parse(text); // fail here, not in VS Code, on broken JSON
if (grammar.scopeName !== "source.infra") {
  throw new Error(`${source}: scopeName is ${grammar.scopeName}, expected source.infra`);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, text);
console.log(`copied ${path.relative(process.cwd(), source)} -> ${path.relative(process.cwd(), target)}`);
