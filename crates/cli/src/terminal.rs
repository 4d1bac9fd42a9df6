//! The lifecycle's [`Ui`] on a real terminal or pipe: lines on stdout, the
//! live status block on stderr (redrawn in place only when stderr is a
//! terminal), questions answered on stdin.

use std::io::{BufRead, IsTerminal, Write};

use infrac_lifecycle::ui::Ui;

pub struct Terminal {
    interactive: bool,
    /// Lines of the status block now on screen, to erase before the next output.
    shown: usize,
}

impl Terminal {
    /// Interactive when a person can answer (stdin) and see the redrawn
    /// status (stderr); CI and pipes get plain lines.
    pub fn new() -> Terminal {
        let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        Terminal { interactive, shown: 0 }
    }

    fn clear_status(&mut self) {
        if self.shown > 0 {
            // Up to the block's first line, then erase to the end of the screen.
            eprint!("\x1b[{}A\x1b[J", self.shown);
            self.shown = 0;
        }
    }
}

impl Ui for Terminal {
    fn interactive(&self) -> bool {
        self.interactive
    }

    fn say(&mut self, text: &str) {
        self.clear_status();
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = stdout.write_all(b"\n");
        }
        let _ = stdout.flush();
    }

    fn confirm(&mut self, question: &str) -> bool {
        self.clear_status();
        let _ = std::io::stdout().flush();
        eprint!("{question} [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if std::io::stdin().lock().read_line(&mut answer).is_err() {
            return false;
        }
        matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
    }

    fn status(&mut self, lines: &[String]) {
        if !self.interactive {
            return;
        }
        self.clear_status();
        let mut stderr = std::io::stderr().lock();
        for line in lines {
            let _ = writeln!(stderr, "{line}");
        }
        self.shown = lines.len();
    }
}
