// External scanner for tree-sitter-infra.
//
// Lexes what a regular expression cannot, the same way as infrac's lexer:
// - block comments, which nest: /* a /* b */ c */
// - the text of "..." strings, up to a quote, a backslash, a line end or `${`
// - the text of """...""" strings, up to `"""`, a backslash or `${`
// A `$` not followed by `{` is text. Scanning string text here (and not with
// a regex) keeps `//` and `/*` inside strings from being taken for comments.

#include "tree_sitter/parser.h"

#include <stdbool.h>

enum TokenType {
  BLOCK_COMMENT,
  STRING_CONTENT,
  MULTILINE_STRING_CONTENT,
  ERROR_SENTINEL,
};

void *tree_sitter_infra_external_scanner_create(void) { return NULL; }

void tree_sitter_infra_external_scanner_destroy(void *payload) { (void)payload; }

unsigned tree_sitter_infra_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}

void tree_sitter_infra_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

// Text of a string. Returns false when no text comes before the next
// delimiter, so that the grammar's own tokens (quote, escape, `${`) lex it.
static bool scan_string_content(TSLexer *lexer, bool multiline) {
  bool has_content = false;
  for (;;) {
    lexer->mark_end(lexer);
    int32_t c = lexer->lookahead;
    if (lexer->eof(lexer) || c == '\\') {
      break;
    }
    if (c == '\n' && !multiline) {
      break;
    }
    if (c == '"') {
      if (!multiline) {
        break;
      }
      // One or two quotes are text; three close the string.
      advance(lexer);
      if (lexer->lookahead == '"') {
        advance(lexer);
        if (lexer->lookahead == '"') {
          break;
        }
      }
      has_content = true;
      continue;
    }
    if (c == '$') {
      advance(lexer);
      if (lexer->lookahead == '{') {
        break;
      }
      has_content = true;
      continue;
    }
    advance(lexer);
    has_content = true;
  }
  lexer->result_symbol = multiline ? MULTILINE_STRING_CONTENT : STRING_CONTENT;
  return has_content;
}

// A block comment, nesting like infrac's. An unterminated one is not a
// token, so the parser reports an error there.
static bool scan_block_comment(TSLexer *lexer) {
  while (lexer->lookahead == ' ' || lexer->lookahead == '\t' || lexer->lookahead == '\r' ||
         lexer->lookahead == '\n' || lexer->lookahead == '\f') {
    skip(lexer);
  }
  if (lexer->lookahead != '/') {
    return false;
  }
  advance(lexer);
  if (lexer->lookahead != '*') {
    return false;
  }
  advance(lexer);
  unsigned depth = 1;
  while (!lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '/' && lexer->lookahead == '*') {
      advance(lexer);
      depth++;
    } else if (c == '*' && lexer->lookahead == '/') {
      advance(lexer);
      depth--;
      if (depth == 0) {
        lexer->mark_end(lexer);
        lexer->result_symbol = BLOCK_COMMENT;
        return true;
      }
    }
  }
  return false;
}

bool tree_sitter_infra_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  bool recovering = valid_symbols[ERROR_SENTINEL];
  if (!recovering) {
    // Inside a string only its text can come next: never a comment.
    if (valid_symbols[STRING_CONTENT]) {
      return scan_string_content(lexer, false);
    }
    if (valid_symbols[MULTILINE_STRING_CONTENT]) {
      return scan_string_content(lexer, true);
    }
  }
  if (valid_symbols[BLOCK_COMMENT]) {
    return scan_block_comment(lexer);
  }
  return false;
}
