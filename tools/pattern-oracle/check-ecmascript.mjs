// Checks src/schema/validate/pattern/ecmascript_cases.txt against JavaScript's
// RegExp (without flags, as JSON Schema reads `pattern`). Rows marked
// `unchecked` are skipped: their expected result is Python's reading, which
// cfn-lint uses. Prints each row JavaScript disagrees with; exits 1 if any.
//
//   node tools/pattern-oracle/check-ecmascript.mjs src/schema/validate/pattern/ecmascript_cases.txt

import { readFileSync } from "node:fs";

const unescape = (cell) =>
  cell.replace(/%(n|r|t|%|u[0-9a-fA-F]{4})/g, (_, e) =>
    e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === "%" ? "%" : String.fromCharCode(parseInt(e.slice(1), 16)),
  );

let rows = 0;
let wrong = 0;
readFileSync(process.argv[2], "utf8")
  .split("\n")
  .forEach((line, index) => {
    if (line === "" || line.startsWith("#")) return;
    const [pattern, value, expected, unchecked] = line.split("\t");
    if (unchecked === "unchecked") return;
    rows++;
    const actual = String(new RegExp(unescape(pattern)).test(unescape(value)));
    if (actual !== expected) {
      wrong++;
      console.log(`line ${index + 1}: ${line} -> JavaScript says ${actual}`);
    }
  });
console.log(`${rows} rows, ${wrong} wrong`);
process.exit(wrong === 0 ? 0 : 1);
