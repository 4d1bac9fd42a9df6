//! Renders diagnostics: ariadne reports for people, JSON lines for machines.

use std::io::{self, Write};

use ariadne::{Color, Config, IndexType, Label as AriadneLabel, Report, ReportKind};
use serde_json::json;

use super::{Diagnostic, Severity};
use crate::source::{SourceMap, Span};

/// Writes one diagnostic as a rustc-style report with a source snippet.
pub fn human(out: &mut dyn Write, sources: &SourceMap, diagnostic: &Diagnostic, color: bool) -> io::Result<()> {
    let file_name = |span: Span| sources.get(span.file).name.clone();
    let (kind, primary_color) = match diagnostic.severity {
        Severity::Error => (ReportKind::Error, Color::Red),
        Severity::Warning => (ReportKind::Warning, Color::Yellow),
    };
    let primary = diagnostic.primary.span;
    let mut report = Report::build(kind, (file_name(primary), primary.range()))
        .with_config(Config::default().with_color(color).with_index_type(IndexType::Byte))
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message);
    // ariadne starts a new snippet, headed by the primary label's position,
    // whenever a label comes before the previous one in its file: ordered by
    // file (the primary's first) and line, each file's labels share one
    // snippet, as rustc shows them.
    let mut labels: Vec<(Span, &str, Color)> = std::iter::once((primary, &*diagnostic.primary.message, primary_color))
        .chain(diagnostic.secondary.iter().map(|l| (l.span, &*l.message, Color::Blue)))
        .collect();
    // ariadne compares the lines labels end on; on one line, the primary
    // label is drawn first.
    let line = |span: Span| sources.get(span.file).line_col(span.end.saturating_sub(1).max(span.start)).0;
    labels
        .sort_by_key(|(span, _, _)| (span.file != primary.file, span.file, line(*span), *span != primary, span.start));
    for (order, (span, message, color)) in labels.into_iter().enumerate() {
        report = report.with_label(
            AriadneLabel::new((file_name(span), span.range()))
                .with_message(message)
                .with_color(color)
                .with_order(order as i32),
        );
    }
    for note in &diagnostic.notes {
        report = report.with_note(note);
    }
    let mut help = diagnostic.help.clone().map(|h| format!("{h}\n")).unwrap_or_default();
    help.push_str(&format!("for more, run `infrac explain {}`", diagnostic.code.as_str()));
    report = report.with_help(help);
    // Only the files this diagnostic points into, named as its labels name them.
    let mut files: Vec<_> =
        std::iter::once(primary).chain(diagnostic.secondary.iter().map(|l| l.span)).map(|s| s.file).collect();
    files.sort_unstable();
    files.dedup();
    let cache = ariadne::sources(files.into_iter().map(|id| {
        let file = sources.get(id);
        (file.name.clone(), file.text.clone())
    }));
    report.finish().write(cache, out)
}

/// One JSON object describing a diagnostic; lines and columns are 1-based,
/// columns count characters.
pub fn json(sources: &SourceMap, diagnostic: &Diagnostic) -> serde_json::Value {
    let location = |span: Span| {
        let file = sources.get(span.file);
        let (line, column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end);
        (file.name.as_str(), line, column, end_line, end_column)
    };
    let label = |span: Span, message: &str, primary: bool| {
        let (file, line, column, end_line, end_column) = location(span);
        json!({
            "file": file, "line": line, "column": column, "end_line": end_line, "end_column": end_column,
            "message": message, "primary": primary,
        })
    };
    let (file, line, column, end_line, end_column) = location(diagnostic.primary.span);
    let labels: Vec<_> = std::iter::once(label(diagnostic.primary.span, &diagnostic.primary.message, true))
        .chain(diagnostic.secondary.iter().map(|l| label(l.span, &l.message, false)))
        .collect();
    json!({
        "code": diagnostic.code.as_str(),
        "severity": diagnostic.severity.as_str(),
        "message": diagnostic.message,
        "file": file,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "labels": labels,
        "notes": diagnostic.notes,
        "help": diagnostic.help,
    })
}

/// Renders diagnostics as plain text without colour, for snapshots.
pub fn plain(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    for diagnostic in diagnostics {
        human(&mut out, sources, diagnostic, false).expect("writing to a Vec cannot fail");
    }
    String::from_utf8(out).expect("ariadne writes UTF-8")
}
