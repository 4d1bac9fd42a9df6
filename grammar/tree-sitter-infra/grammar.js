/**
 * @file Tree-sitter grammar for the infra language (.infra files), which
 * infrac compiles to AWS CloudFormation.
 *
 * This grammar serves editors (Neovim, Helix, Zed): it is deliberately a
 * little more permissive than the compiler, which stays the authority on
 * what a valid program is. It follows the compiler's lexer where it matters
 * for highlighting: nesting block comments, `///` and `//!` doc comments
 * (`////` is ordinary), `AWS::S3::Bucket` as one token, strings split into
 * text, escapes and `${...}` interpolations that nest.
 *
 * The external scanner (src/scanner.c) lexes nesting block comments and the
 * text of strings, so that `/*` or `//` inside a string stay string text.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const PREC = {
  conditional: 1,
  coalesce: 2,
  or: 3,
  and: 4,
  equality: 5,
  comparison: 6,
  sum: 7,
  product: 8,
  not: 9,
  postfix: 10,
};

// Words that are keywords somewhere but may still be object keys and member
// names (`{ for: 1 }`, `x.in`), as in the compiler.
const RESERVED = [
  'param', 'let', 'resource', 'existing', 'output', 'construct', 'stack', 'import', 'as',
  'from', 'for', 'in', 'if', 'override', 'mapping', 'true', 'false', 'null',
  'string', 'number', 'bool', 'list', 'object', 'any',
];

const BUILTIN_TYPES = ['string', 'number', 'bool', 'list', 'object', 'any'];

/**
 * One or more `rule`s separated by `separator`.
 * @param {RuleOrLiteral} rule
 * @param {RuleOrLiteral} separator
 */
function sep1(rule, separator) {
  return seq(rule, repeat(seq(separator, rule)));
}

/**
 * `rule`s separated by commas, with an optional trailing comma.
 * @param {RuleOrLiteral} rule
 */
function commaSep(rule) {
  return optional(seq(sep1(rule, ','), optional(',')));
}

module.exports = grammar({
  name: 'infra',

  word: $ => $.identifier,

  externals: $ => [
    $.block_comment,
    $._string_content,
    $._multiline_string_content,
    // Never produced: tells the scanner that the parser is recovering from
    // an error (then every symbol is valid).
    $._error_sentinel,
  ],

  extras: $ => [
    /\s/,
    $.line_comment,
    $.doc_comment,
    $.inner_doc_comment,
    $.block_comment,
  ],

  supertypes: $ => [
    $._declaration,
    $._expression,
    $._type,
  ],

  rules: {
    source_file: $ => repeat($._declaration),

    // Comments. The three regexes are disjoint, so `////` is a line comment.
    line_comment: _ => token(/\/\/([^\/!\n][^\n]*)?|\/\/\/\/[^\n]*/),
    doc_comment: _ => token(/\/\/\/([^\/\n][^\n]*)?/),
    inner_doc_comment: _ => token(/\/\/![^\n]*/),

    // Declarations.

    _declaration: $ => choice(
      $.import_declaration,
      $.param_declaration,
      $.let_declaration,
      $.resource_declaration,
      $.existing_declaration,
      $.output_declaration,
      $.construct_declaration,
      $.stack_declaration,
      $.mapping_declaration,
    ),

    decorator: $ => seq(
      '@',
      field('name', $.identifier),
      optional(field('arguments', $.arguments)),
    ),

    import_declaration: $ => seq(
      'import',
      choice(
        seq(field('path', $.string), optional(seq('as', field('alias', $.identifier)))),
        seq('{', commaSep($.import_name), '}', 'from', field('path', $.string)),
      ),
    ),

    import_name: $ => seq(
      field('name', $.identifier),
      optional(seq('as', field('alias', $.identifier))),
    ),

    param_declaration: $ => seq(
      repeat(field('decorator', $.decorator)),
      'param',
      // `param ...service: ecs.FargateService`: a parameter group.
      optional(field('group', '...')),
      field('name', $.identifier),
      ':',
      field('type', $._type),
      optional(seq('=', field('default', $._expression))),
    ),

    let_declaration: $ => seq(
      repeat(field('decorator', $.decorator)),
      'let',
      field('name', $.identifier),
      optional(field('parameters', $.parameters)),
      optional(seq(':', field('type', $._type))),
      '=',
      field('value', $._expression),
    ),

    // `let name(a, b) = body`: a function's parameters.
    parameters: $ => seq('(', commaSep($.identifier), ')'),

    resource_declaration: $ => seq(
      repeat(field('decorator', $.decorator)),
      'resource',
      field('name', $.identifier),
      ':',
      field('type', choice($.cfn_type, $.construct_type)),
      optional(field('loop', $.for_clause)),
      optional(field('condition', $.if_clause)),
      field('body', $.object),
    ),

    // `existing net: ec2.Vpc { id: "vpc-1" }`: infrastructure described by
    // a construct's outputs.
    existing_declaration: $ => seq(
      repeat(field('decorator', $.decorator)),
      'existing',
      field('name', $.identifier),
      ':',
      field('type', $.construct_type),
      field('body', $.object),
    ),

    output_declaration: $ => seq(
      repeat(field('decorator', $.decorator)),
      'output',
      field('name', $.identifier),
      optional(seq(':', field('type', $._type))),
      '=',
      field('value', $._expression),
    ),

    construct_declaration: $ => seq(
      repeat(field('decorator', $.decorator)),
      'construct',
      field('name', $.identifier),
      field('body', $.declaration_block),
    ),

    stack_declaration: $ => seq(
      repeat(field('decorator', $.decorator)),
      'stack',
      field('name', $.identifier),
      choice(
        field('body', $.declaration_block),
        seq(':', field('type', choice($.cfn_type, $.construct_type)), field('body', $.object)),
      ),
    ),

    mapping_declaration: $ => seq(
      repeat(field('decorator', $.decorator)),
      'mapping',
      field('name', $.identifier),
      optional('='),
      field('value', $.object),
    ),

    declaration_block: $ => seq('{', repeat($._declaration), '}'),

    for_clause: $ => seq(
      'for',
      sep1(field('variable', $.identifier), ','),
      'in',
      field('iterable', $._expression),
    ),

    if_clause: $ => seq('if', field('condition', $._expression)),

    // Types.

    _type: $ => choice(
      $.builtin_type,
      $.cfn_type,
      $.construct_type,
      $.generic_type,
      $.record_type,
    ),

    // `{ port: number, description?: string }`: fields separated by commas
    // or newlines; `?` marks one that may be left out.
    record_type: $ => seq('{', repeat(seq($.field_type, optional(','))), '}'),

    field_type: $ => seq(
      field('name', $._property_name),
      optional(field('optional', '?')),
      ':',
      field('type', $._type),
    ),

    builtin_type: _ => choice(...BUILTIN_TYPES),

    // `AWS::S3::Bucket`, `AWS::EC2::VPC::Id`, `Custom::Thing`: one token.
    cfn_type: _ => token(/[A-Za-z][A-Za-z0-9]*(::[A-Za-z0-9]+)+/),

    // `s3.Bucket`, `ecs.LoadBalancedFargateService`, `StaticSite`.
    construct_type: $ => seq(
      repeat(seq(field('namespace', alias($.identifier, $.namespace_identifier)), '.')),
      field('name', alias($.identifier, $.type_identifier)),
    ),

    // `list<string>`, `List<AWS::EC2::Subnet::Id>`,
    // `AWS::SSM::Parameter::Value<String>`.
    generic_type: $ => seq(
      field('name', choice($.builtin_type, $.cfn_type, $.construct_type)),
      '<',
      field('argument', $._type),
      '>',
    ),

    // Expressions.

    _expression: $ => choice(
      $.conditional_expression,
      $.binary_expression,
      $.unary_expression,
      $.member_expression,
      $.index_expression,
      $.call_expression,
      $.parenthesized_expression,
      $.identifier,
      $.cfn_type,
      $.number,
      $.true,
      $.false,
      $.null,
      $.string,
      $.multiline_string,
      $.raw_string,
      $.list,
      $.list_comprehension,
      $.object,
    ),

    conditional_expression: $ => prec.right(PREC.conditional, seq(
      field('condition', $._expression),
      '?',
      field('consequence', $._expression),
      ':',
      field('alternative', $._expression),
    )),

    binary_expression: $ => choice(
      ...[
        ['??', PREC.coalesce],
        ['||', PREC.or],
        ['&&', PREC.and],
        ['==', PREC.equality],
        ['!=', PREC.equality],
        ['<', PREC.comparison],
        ['<=', PREC.comparison],
        ['>', PREC.comparison],
        ['>=', PREC.comparison],
        ['+', PREC.sum],
        ['-', PREC.sum],
        ['*', PREC.product],
        ['/', PREC.product],
        ['%', PREC.product],
      ].map(([operator, precedence]) => prec.left(/** @type {number} */ (precedence), seq(
        field('left', $._expression),
        field('operator', operator),
        field('right', $._expression),
      ))),
    ),

    unary_expression: $ => prec(PREC.not, seq(
      field('operator', '!'),
      field('operand', $._expression),
    )),

    member_expression: $ => prec(PREC.postfix, seq(
      field('object', $._expression),
      '.',
      field('property', $._property_name),
    )),

    index_expression: $ => prec(PREC.postfix, seq(
      field('object', $._expression),
      '[',
      field('index', $._expression),
      ']',
    )),

    call_expression: $ => prec(PREC.postfix, seq(
      field('function', $._expression),
      field('arguments', $.arguments),
    )),

    arguments: $ => seq('(', commaSep($._expression), ')'),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    // Items are separated by commas or newlines; a trailing comma is fine.
    list: $ => seq('[', repeat(seq($._expression, optional(','))), ']'),

    // `[for x in xs: expr]`, `[for x in xs if cond: expr]`
    list_comprehension: $ => seq(
      '[',
      field('loop', $.for_clause),
      optional(field('condition', $.if_clause)),
      ':',
      field('body', $._expression),
      ']',
    ),

    // Properties are separated by commas or newlines. `override NAME { }`
    // entries belong in resource bodies; the grammar allows them anywhere.
    object: $ => seq('{', repeat(seq(choice($.property, $.spread, $.override), optional(','))), '}'),

    // `...group`: the entries of an object (a parameter group), spread in.
    spread: $ => seq('...', field('value', $._expression)),

    property: $ => seq(
      field('key', choice($._property_name, $.string)),
      ':',
      field('value', $._expression),
    ),

    override: $ => seq('override', field('name', $.identifier), field('body', $.object)),

    _property_name: $ => choice(
      alias($.identifier, $.property_identifier),
      alias(choice(...RESERVED), $.property_identifier),
    ),

    // Literals.

    identifier: _ => /[A-Za-z_][A-Za-z0-9_]*/,

    number: _ => token(/-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/),

    true: _ => 'true',
    false: _ => 'false',
    null: _ => 'null',

    string: $ => seq(
      '"',
      repeat(choice(
        alias($._string_content, $.string_content),
        $.escape_sequence,
        $.interpolation,
      )),
      alias(token.immediate('"'), '"'),
    ),

    multiline_string: $ => seq(
      '"""',
      repeat(choice(
        alias($._multiline_string_content, $.string_content),
        $.escape_sequence,
        $.interpolation,
      )),
      alias(token.immediate('"""'), '"""'),
    ),

    // `r"..."` and `r"""..."""`: no escapes, no interpolation.
    raw_string: $ => choice(
      seq(
        'r"',
        optional(alias(token.immediate(/[^"\n]+/), $.string_content)),
        alias(token.immediate('"'), '"'),
      ),
      seq(
        'r"""',
        optional(alias(token.immediate(/([^"]|"[^"]|""[^"])+/), $.string_content)),
        alias(token.immediate('"""'), '"""'),
      ),
      // `r#"say "hi""#`: closed by the quotes and as many `#` as opened it,
      // so that a `"` is text. The compiler takes any number of `#`; a
      // grammar without an external scanner cannot count, so it lists up
      // to three. A lone `"` is text: the lexer takes the longest token,
      // so `"#` closes where it can.
      ...[1, 2, 3].flatMap(n => {
        const hashes = '#'.repeat(n);
        const quoted = (open, text) => seq(
          `r${hashes}${open}`,
          repeat(choice(
            alias(token.immediate(text), $.string_content),
            alias(token.immediate('"'), $.string_content),
          )),
          alias(token.immediate(`${open}${hashes}`), `${open}${hashes}`),
        );
        return [quoted('"', /[^"\n]+/), quoted('"""', /[^"]+/)];
      }),
    ),

    escape_sequence: _ => token.immediate(/\\[ntr"\\$]/),

    interpolation: $ => seq(
      alias(token.immediate('${'), '${'),
      field('expression', $._expression),
      '}',
    ),
  },
});
