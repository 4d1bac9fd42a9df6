//! The language server alone, on stdin and stdout: what `infrac lsp` runs,
//! for trying the server in an editor without the rest of the command line
//! (`cargo run -p infrac-lsp --example stdio`), and for the Neovim test in
//! `.ci/editors.sh`.

fn main() -> std::process::ExitCode {
    match infrac_lsp::run_stdio() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("infrac lsp: {error}");
            std::process::ExitCode::from(2)
        }
    }
}
