//! Where the lifecycle's output goes: a terminal (questions, a status block
//! redrawn in place) or a pipe (plain lines only).

/// The lifecycle's view of the user.
pub trait Ui {
    /// Whether a person is there to answer and the status can be redrawn.
    fn interactive(&self) -> bool;
    /// Prints text (one or more lines) for good.
    fn say(&mut self, text: &str);
    /// Asks a yes/no question; only called when [`Ui::interactive`].
    fn confirm(&mut self, question: &str) -> bool;
    /// Replaces the status block (the terminal's live progress view) with
    /// `lines`; a non-interactive `Ui` ignores it.
    fn status(&mut self, lines: &[String]);
}

/// A `Ui` that records everything, for tests: `say`s as they are, each
/// status block as `~~~`-fenced text, and questions with the answer given.
pub struct Recorder {
    pub interactive: bool,
    /// Answers to give to questions, in order; `false` once exhausted.
    pub answers: Vec<bool>,
    pub transcript: String,
    /// Every status block shown, in order (an empty one clears it).
    pub screens: Vec<Vec<String>>,
}

impl Recorder {
    pub fn new(interactive: bool) -> Recorder {
        Recorder { interactive, answers: Vec::new(), transcript: String::new(), screens: Vec::new() }
    }
}

impl Ui for Recorder {
    fn interactive(&self) -> bool {
        self.interactive
    }

    fn say(&mut self, text: &str) {
        self.transcript.push_str(text);
        if !text.ends_with('\n') {
            self.transcript.push('\n');
        }
    }

    fn confirm(&mut self, question: &str) -> bool {
        let answer = if self.answers.is_empty() { false } else { self.answers.remove(0) };
        self.transcript.push_str(&format!("? {question} -> {}\n", if answer { "yes" } else { "no" }));
        answer
    }

    fn status(&mut self, lines: &[String]) {
        self.screens.push(lines.to_vec());
    }
}
