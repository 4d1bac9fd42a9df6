//! Source files, byte spans into them, and line/column lookup.
//!
//! A [`Span`] is a half-open byte range in one file of a [`SourceMap`]. Every
//! syntax node and diagnostic label carries one; spans of compiler-made values
//! point at the declaration that caused them.

use std::ops::Range;

/// Index of a file in a [`SourceMap`].
pub type FileId = u32;

/// A half-open byte range `start..end` in the file `file`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span { file, start: range.start as u32, end: range.end as u32 }
    }

    /// The smallest span that covers both `self` and `other` (same file).
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A value with the location of the source text it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// One source file: the name it is shown under and its text.
#[derive(Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// Part of the compiler (the standard library), not one of the user's
    /// files: a user's file may be shown under the same name.
    pub embedded: bool,
    /// Byte offset of the start of every line, for line/column lookup.
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = offset.min(self.text.len() as u32);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line] as usize;
        let column = self.text[line_start..offset as usize].chars().count();
        (line + 1, column + 1)
    }
}

/// All files of one compilation, addressed by [`FileId`].
#[derive(Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one of the user's files.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.push(name.into(), text.into(), false)
    }

    /// Adds a file of the compiler's own (a standard-library namespace).
    pub fn add_embedded(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.push(name.into(), text.into(), true)
    }

    fn push(&mut self, name: String, text: String, embedded: bool) -> FileId {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1)).collect();
        self.files.push(SourceFile { name, text, embedded, line_starts });
        (self.files.len() - 1) as FileId
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    /// The user's file shown under `name`, if it was added.
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.files.iter().position(|f| !f.embedded && f.name == name).map(|i| i as FileId)
    }

    /// The compiler's own file shown under `name`, if it was added.
    pub fn find_embedded(&self, name: &str) -> Option<FileId> {
        self.files.iter().position(|f| f.embedded && f.name == name).map(|i| i as FileId)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (i as FileId, f))
    }
}
