//! The `outtake` command: see `outtake --help`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status =
        outtake::cli::main(args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    std::process::exit(status);
}
