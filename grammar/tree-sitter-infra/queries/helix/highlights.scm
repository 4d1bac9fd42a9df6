; Generated from ../highlights.scm by scripts/editor-queries.js for helix: do not edit.
; Captures are renamed to Helix's theme scopes.

; Highlights for the infra language.
;
; Capture names are Neovim's (Zed and Helix fall back from `a.b` to `a`;
; queries/helix/ and queries/zed/ hold renamed copies). No two patterns
; capture the same node: editors differ on which pattern wins then (older
; ones took the first, current ones take the last, and tree-sitter's own
; highlighter drops the losing match whole, its other captures included).
; test/check-highlights.js enforces this.

; Comments

(line_comment) @comment
(block_comment) @comment
(doc_comment) @comment.line.documentation
(inner_doc_comment) @comment.line.documentation

; Keywords

[
  "param"
  "let"
  "resource"
  "existing"
  "output"
  "construct"
  "stack"
  "mapping"
] @keyword

[
  "import"
  "from"
  "as"
] @keyword.control.import

[
  "for"
  "in"
] @keyword.control.repeat

"if" @keyword.control.conditional

"override" @keyword.storage.modifier

; Declarations

(param_declaration
  name: (identifier) @variable.parameter)

(let_declaration
  name: (identifier) @constant)

(parameters
  (identifier) @variable)

(resource_declaration
  name: (identifier) @variable)

(existing_declaration
  name: (identifier) @variable)

(output_declaration
  name: (identifier) @variable)

(construct_declaration
  name: (identifier) @type)

(stack_declaration
  name: (identifier) @namespace)

(mapping_declaration
  name: (identifier) @constant)

(import_declaration
  alias: (identifier) @namespace)

(import_name
  name: (identifier) @variable)

(import_name
  alias: (identifier) @variable)

(for_clause
  variable: (identifier) @variable.parameter)

(override
  name: (identifier) @variable)

(decorator
  "@" @attribute
  name: (identifier) @attribute)

; Types

(builtin_type) @type.builtin

(cfn_type) @type

(type_identifier) @type

(namespace_identifier) @namespace

; `{ port: number, description?: string }`: fields are named like object keys.
(field_type
  name: (property_identifier) @variable.other.member)

(field_type
  "?" @punctuation.special)

; Expressions: an identifier is a variable wherever it stands for a value,
; except `aws` (the pseudo parameters' namespace) and a called function.

((identifier) @variable.builtin
  (#eq? @variable.builtin "aws"))

; `aws.region` and the other pseudo parameters. The predicates look at the
; whole member expression, because tree-sitter's highlighter drops a match
; when a later pattern captures one of its nodes (here: the `aws` above).
((member_expression
  property: (property_identifier) @constant.builtin) @_member
  (#match? @_member "^aws[ \t]*[.][ \t]*[A-Za-z_][A-Za-z0-9_]*$"))

((member_expression
  property: (property_identifier) @variable.other.member) @_member
  (#not-match? @_member "^aws[ \t]*[.][ \t]*[A-Za-z_][A-Za-z0-9_]*$"))

; The built-in functions. Both lists are generated from the compiler's
; registry (src/check/builtins/): `UPDATE_DOCS=1 cargo test --test builtins`.
(call_expression
  function: (identifier) @function.builtin
  (#any-of? @function.builtin
    "after" "asset" "azs" "base64" "cidr" "concat" "contains" "docker_image"
    "each_member_equals" "each_member_in" "file" "from_json" "from_yaml" "get"
    "import_value" "join" "json" "keys" "length" "lookup" "merge" "range" "ref_all"
    "select" "split" "stack_output" "sub" "to_number" "transform" "type_of"
    "value_of" "value_of_all" "values"))

(call_expression
  function: (identifier) @function
  (#not-any-of? @function
    "aws" "after" "asset" "azs" "base64" "cidr" "concat" "contains" "docker_image"
    "each_member_equals" "each_member_in" "file" "from_json" "from_yaml" "get"
    "import_value" "join" "json" "keys" "length" "lookup" "merge" "range" "ref_all"
    "select" "split" "stack_output" "sub" "to_number" "transform" "type_of"
    "value_of" "value_of_all" "values"))

(property
  key: (property_identifier) @variable.other.member)

; Every other place an expression can stand.
([
  (param_declaration default: (identifier) @variable)
  (let_declaration value: (identifier) @variable)
  (output_declaration value: (identifier) @variable)
  (property value: (identifier) @variable)
  (spread value: (identifier) @variable)
  (member_expression object: (identifier) @variable)
  (index_expression object: (identifier) @variable)
  (index_expression index: (identifier) @variable)
  (binary_expression left: (identifier) @variable)
  (binary_expression right: (identifier) @variable)
  (unary_expression operand: (identifier) @variable)
  (conditional_expression condition: (identifier) @variable)
  (conditional_expression consequence: (identifier) @variable)
  (conditional_expression alternative: (identifier) @variable)
  (parenthesized_expression (identifier) @variable)
  (arguments (identifier) @variable)
  (list (identifier) @variable)
  (list_comprehension body: (identifier) @variable)
  (for_clause iterable: (identifier) @variable)
  (if_clause condition: (identifier) @variable)
  (interpolation expression: (identifier) @variable)
]
  (#not-eq? @variable "aws"))

; Literals

(number) @constant.numeric

[
  (true)
  (false)
] @constant.builtin.boolean

(null) @constant.builtin

(string) @string

(multiline_string) @string

(raw_string) @string

(escape_sequence) @constant.character.escape

(interpolation
  "${" @punctuation.special
  "}" @punctuation.special)

; Operators and punctuation

[
  "=="
  "!="
  "&&"
  "||"
  "!"
  "="
  "??"
  "<="
  ">="
  "+"
  "-"
  "*"
  "/"
  "%"
  "..."
] @operator

(binary_expression
  [
    "<"
    ">"
  ] @operator)

(conditional_expression
  [
    "?"
    ":"
  ] @keyword.operator)

[
  "("
  ")"
  "["
  "]"
] @punctuation.bracket

(object
  [
    "{"
    "}"
  ] @punctuation.bracket)

(declaration_block
  [
    "{"
    "}"
  ] @punctuation.bracket)

(import_declaration
  [
    "{"
    "}"
  ] @punctuation.bracket)

(generic_type
  [
    "<"
    ">"
  ] @punctuation.bracket)

(record_type
  [
    "{"
    "}"
  ] @punctuation.bracket)

[
  ","
  "."
] @punctuation.delimiter

(property
  ":" @punctuation.delimiter)

(param_declaration
  ":" @punctuation.delimiter)

(let_declaration
  ":" @punctuation.delimiter)

(output_declaration
  ":" @punctuation.delimiter)

(resource_declaration
  ":" @punctuation.delimiter)

(existing_declaration
  ":" @punctuation.delimiter)

(stack_declaration
  ":" @punctuation.delimiter)

(list_comprehension
  ":" @punctuation.delimiter)

(field_type
  ":" @punctuation.delimiter)
