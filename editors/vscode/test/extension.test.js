// Tests of the extension's declarative parts: the manifest, the language
// configuration and the snippets. Run with `npm test` (node --test).
//
// The snippet test expands every snippet with its default values and parses
// the result with the tree-sitter grammar, so it needs the `tree-sitter` CLI
// on PATH (.ci/editors.sh installs it first).
"use strict";

const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");

const extensionDir = path.resolve(__dirname, "..");
const repoDir = path.resolve(extensionDir, "../..");
const grammarPath = path.join(repoDir, "grammar/infra.tmLanguage.json");
const treeSitterDir = path.join(repoDir, "grammar/tree-sitter-infra");

const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
const manifest = readJson(path.join(extensionDir, "package.json"));
const config = readJson(path.join(extensionDir, "language-configuration.json"));
const snippets = readJson(path.join(extensionDir, "snippets/infra.code-snippets"));

test("the manifest contributes the infra language, its grammar and snippets", () => {
  const [language] = manifest.contributes.languages;
  assert.equal(language.id, "infra");
  assert.deepEqual(language.extensions, [".infra"]);
  assert.ok(fs.existsSync(path.join(extensionDir, language.configuration)));

  const [grammar] = manifest.contributes.grammars;
  assert.equal(grammar.language, "infra");
  assert.equal(grammar.scopeName, readJson(grammarPath).scopeName);
  // The grammar is copied from grammar/ at packaging time, never committed here.
  assert.equal(grammar.path, "./syntaxes/infra.tmLanguage.json");
  assert.match(fs.readFileSync(path.join(extensionDir, ".gitignore"), "utf8"), /^\/syntaxes\/$/m);

  const [snippetFile] = manifest.contributes.snippets;
  assert.equal(snippetFile.language, "infra");
  assert.ok(fs.existsSync(path.join(extensionDir, snippetFile.path)));
});

test("the manifest has what vsce and the Marketplace ask for", () => {
  for (const field of ["name", "displayName", "description", "version", "publisher", "license", "engines"]) {
    assert.ok(manifest[field], `package.json lacks ${field}`);
  }
  assert.equal(manifest.license, "Apache-2.0");
  assert.match(manifest.repository.url, /^https:\/\//);
  assert.match(fs.readFileSync(path.join(extensionDir, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
  assert.ok(fs.statSync(path.join(extensionDir, "README.md")).size > 500);
});

test("comments and brackets match the language", () => {
  assert.equal(config.comments.lineComment, "//");
  assert.deepEqual(config.comments.blockComment, ["/*", "*/"]);
  const pairs = config.autoClosingPairs.map((p) => `${p.open}${p.close}`);
  for (const pair of ["{}", "[]", "()", "${}", '""', '""""""']) {
    assert.ok(pairs.includes(pair), `no auto-closing pair ${pair}`);
  }
  // Inside a string, `"` must not auto-close, `${` must.
  const quote = config.autoClosingPairs.find((p) => p.open === '"');
  assert.ok(quote.notIn.includes("string"));
  const interpolation = config.autoClosingPairs.find((p) => p.open === "${");
  assert.ok(!(interpolation.notIn ?? []).includes("string"));
});

test("a word is an identifier, a number or a whole CloudFormation type name", () => {
  const word = new RegExp(config.wordPattern, "g");
  const words = (text) => text.match(word);
  assert.deepEqual(words("resource logs: AWS::S3::Bucket {"), ["resource", "logs", "AWS::S3::Bucket"]);
  assert.deepEqual(words("web.url"), ["web", "url"]);
  assert.deepEqual(words("x = -3.5"), ["x", "-3.5"]);
  assert.deepEqual(words("max_azs: 2"), ["max_azs", "2"]);
});

test("indentation grows after an opening bracket and shrinks at a closing one", () => {
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  for (const line of ["resource net: ec2.Vpc {", "let azs = [", "@tags({", "  image: join(", 'let doc = """']) {
    assert.match(line, increase, line);
  }
  for (const line of ["}", "let o = { a: 1 }", "let l = [1, 2]", "// a comment {", 'let s = "{"']) {
    assert.doesNotMatch(line, increase, line);
  }
  for (const line of ["}", "  ]", ")", "  }, {", '  """']) {
    assert.match(line, decrease, line);
  }
  assert.doesNotMatch("  vpc: net", decrease);
});

test("doc comments continue on the next line", () => {
  const continuation = (line) =>
    config.onEnterRules.find((rule) => new RegExp(rule.beforeText).test(line))?.action.appendText;
  assert.equal(continuation("/// The deployment stage."), "/// ");
  assert.equal(continuation("  //! The network stack."), "//! ");
  assert.equal(continuation("// plain"), undefined);
  assert.equal(continuation("/* start"), " * ");
  assert.equal(continuation("/* closed */"), undefined);
});

test("folding markers are // region and // endregion", () => {
  assert.match("  // region networking", new RegExp(config.folding.markers.start));
  assert.match("// endregion", new RegExp(config.folding.markers.end));
  assert.doesNotMatch("// regional settings", new RegExp(config.folding.markers.start));
});

// Expands a VS Code snippet body with every placeholder at its default (the
// first choice for a choice), mirrors ($1) at their placeholder's value.
function expandSnippet(body) {
  const text = Array.isArray(body) ? body.join("\n") : body;
  const values = new Map();
  // Parses text up to `stop` (a closing brace of a placeholder) from `i`.
  function parse(i, stop) {
    let out = "";
    while (i < text.length) {
      const c = text[i];
      if (c === "\\" && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
      } else if (stop && c === stop) {
        return [out, i + 1];
      } else if (c === "$") {
        let m;
        if ((m = /^\$(\d+)/.exec(text.slice(i)))) {
          out += values.get(m[1]) ?? "";
          i += m[0].length;
        } else if ((m = /^\$\{(\d+)\}/.exec(text.slice(i)))) {
          out += values.get(m[1]) ?? "";
          i += m[0].length;
        } else if ((m = /^\$\{(\d+)\|([^|]*)\|\}/.exec(text.slice(i)))) {
          const value = m[2].split(",")[0];
          values.set(m[1], value);
          out += value;
          i += m[0].length;
        } else if ((m = /^\$\{(\d+):/.exec(text.slice(i)))) {
          const [value, next] = parse(i + m[0].length, "}");
          values.set(m[1], value);
          out += value;
          i = next;
        } else {
          throw new Error(`unsupported snippet syntax at ${JSON.stringify(text.slice(i, i + 10))}`);
        }
      } else {
        out += c;
        i += 1;
      }
    }
    return [out, i];
  }
  return parse(0, null)[0];
}

test("the snippet expander handles placeholders, choices, mirrors and escapes", () => {
  assert.equal(expandSnippet("a ${1:x} ${2|p,q|} $1 \\${y} ${3:[${4:z}]}$0"), "a x p x ${y} [z]");
});

test("the snippets cover the declarations", () => {
  const prefixes = Object.values(snippets).map((s) => s.prefix);
  for (const prefix of ["param", "let", "resource", "output", "construct", "stack"]) {
    assert.ok(prefixes.includes(prefix), `no snippet with prefix ${prefix}`);
  }
});

test("every snippet expands to a program the tree-sitter grammar parses without errors", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "infra-snippets-"));
  const files = Object.entries(snippets).map(([name, snippet], index) => {
    const file = path.join(dir, `snippet${index}.infra`);
    fs.writeFileSync(file, `${expandSnippet(snippet.body)}\n`);
    return { name, file };
  });
  for (const { name, file } of files) {
    let tree;
    try {
      tree = execFileSync("tree-sitter", ["parse", "--no-ranges", file], {
        cwd: treeSitterDir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      if (error.code === "ENOENT") {
        assert.fail("the tree-sitter CLI is not on PATH (see editors/README.md)");
      }
      assert.fail(`snippet "${name}" does not parse:\n${fs.readFileSync(file, "utf8")}\n${error.stdout}`);
    }
    assert.doesNotMatch(tree, /ERROR|MISSING/, `snippet "${name}":\n${fs.readFileSync(file, "utf8")}\n${tree}`);
    assert.match(tree, /_declaration/, `snippet "${name}" declares nothing`);
  }
});

test("the extension starts `infrac lsp` for infra files, from the configured binary", () => {
  assert.equal(manifest.main, "./dist/extension.js");
  assert.deepEqual(manifest.activationEvents, ["onLanguage:infra"]);
  assert.ok(manifest.dependencies["vscode-languageclient"], "the client comes from npm");
  const settings = manifest.contributes.configuration.properties;
  assert.equal(settings["infra.server.path"].type, "string");
  // The server's own semantic token type is declared, so themes colour it.
  assert.deepEqual(
    manifest.contributes.semanticTokenTypes.map((t) => [t.id, t.superType]),
    [["resource", "variable"]],
  );

  // Load the extension's code with a stand-in for the `vscode` module.
  const Module = require("node:module");
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "vscode" ? {} : load.call(this, request, ...rest);
  };
  try {
    const { serverOptions } = require(path.join(extensionDir, "extension.js"));
    const config = (values) => ({ get: (key, fallback) => values[key] ?? fallback });
    assert.deepEqual(serverOptions(config({})), { command: "infrac", args: ["lsp"], transport: 0 });
    assert.deepEqual(serverOptions(config({ "server.path": "/opt/infrac/bin/infrac", "server.extraArgs": ["--x"] })), {
      command: "/opt/infrac/bin/infrac",
      args: ["lsp", "--x"],
      transport: 0,
    });
  } finally {
    Module._load = load;
  }
});
