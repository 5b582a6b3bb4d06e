//! The `pimrules` command: parses the command line and runs the library's `cli`.
//! Everything, including exit codes, is decided in `pimrules::cli`.

fn main() -> std::process::ExitCode {
    pimrules::cli::run()
}
