//! Generates the tfplugin6 server code from `proto/` (inside this crate, so the published
//! crate builds on its own) with protox, a pure-Rust protobuf compiler: no system `protoc`.

const PROTO_ROOT: &str = "proto";
const PROTOS: &[&str] = &["tfplugin6.5.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for p in PROTOS {
        println!("cargo:rerun-if-changed={PROTO_ROOT}/{p}");
    }
    let mut compiler = protox::Compiler::new([PROTO_ROOT])?;
    compiler.include_imports(true);
    compiler.open_files(PROTOS)?;
    let fds = compiler.file_descriptor_set();
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(false)
        // RPCs a provider does not implement answer UNIMPLEMENTED.
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}
