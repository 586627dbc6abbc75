fn main() -> std::process::ExitCode {
    ecsnet::cli::main()
}
