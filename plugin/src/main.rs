fn main() -> std::process::ExitCode {
    ecsnet::timings::start();
    ecsnet::cli::main()
}
