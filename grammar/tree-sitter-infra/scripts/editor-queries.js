#!/usr/bin/env node
// Writes queries/helix/highlights.scm and queries/zed/highlights.scm from
// queries/highlights.scm (the source, in Neovim's capture names), renaming
// the captures that Helix's and Zed's themes spell differently.
//
//   node scripts/editor-queries.js          write the files
//   node scripts/editor-queries.js --check  fail if they are out of date
//
// Every capture in the source must be listed below, so a new capture cannot
// slip through unrenamed.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

// Source capture -> [Helix, Zed]. See the scope lists in Helix's theme docs
// and Zed's language extension docs.
const CAPTURES = {
  "attribute": ["attribute", "attribute"],
  "boolean": ["constant.builtin.boolean", "boolean"],
  "comment": ["comment", "comment"],
  "comment.documentation": ["comment.line.documentation", "comment.doc"],
  "constant": ["constant", "constant"],
  "constant.builtin": ["constant.builtin", "constant"],
  "function.builtin": ["function.builtin", "function"],
  "function.call": ["function", "function"],
  "keyword": ["keyword", "keyword"],
  "keyword.conditional": ["keyword.control.conditional", "keyword"],
  "keyword.conditional.ternary": ["keyword.operator", "operator"],
  "keyword.import": ["keyword.control.import", "keyword"],
  "keyword.modifier": ["keyword.storage.modifier", "keyword"],
  "keyword.repeat": ["keyword.control.repeat", "keyword"],
  "module": ["namespace", "type"],
  "number": ["constant.numeric", "number"],
  "operator": ["operator", "operator"],
  "property": ["variable.other.member", "property"],
  "punctuation.bracket": ["punctuation.bracket", "punctuation.bracket"],
  "punctuation.delimiter": ["punctuation.delimiter", "punctuation.delimiter"],
  "punctuation.special": ["punctuation.special", "punctuation.special"],
  "string": ["string", "string"],
  "string.escape": ["constant.character.escape", "string.escape"],
  "type": ["type", "type"],
  "type.builtin": ["type.builtin", "type"],
  "type.definition": ["type", "type"],
  "variable": ["variable", "variable"],
  "variable.builtin": ["variable.builtin", "variable.special"],
  "variable.member": ["variable.other.member", "property"],
  "variable.parameter": ["variable.parameter", "variable"],
};

const EDITORS = ["helix", "zed"];

const root = path.resolve(__dirname, "..");
const source = fs.readFileSync(path.join(root, "queries/highlights.scm"), "utf8");

function translate(editorIndex, editor) {
  const unknown = new Set();
  const body = source.replace(/@([A-Za-z][\w.]*)/g, (whole, name) => {
    const names = CAPTURES[name];
    if (!names) {
      unknown.add(name);
      return whole;
    }
    return `@${names[editorIndex]}`;
  });
  if (unknown.size > 0) {
    throw new Error(`queries/highlights.scm: add ${[...unknown].join(", ")} to CAPTURES in ${path.basename(__filename)}`);
  }
  return (
    `; Generated from ../highlights.scm by scripts/editor-queries.js for ${editor}: do not edit.\n` +
    `; Captures are renamed to ${editor === "helix" ? "Helix" : "Zed"}'s theme scopes.\n\n` +
    body
  );
}

const check = process.argv.includes("--check");
let stale = false;
EDITORS.forEach((editor, index) => {
  const target = path.join(root, "queries", editor, "highlights.scm");
  const text = translate(index, editor);
  if (check) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), target)} is out of date: run node scripts/editor-queries.js`);
      stale = true;
    }
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
  }
});
if (stale) process.exit(1);
if (check) console.log("editor queries are up to date");
