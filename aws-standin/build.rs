//! Generates the tfplugin6 server code from `../proto/tfplugin6` with protox (a pure-Rust
//! protobuf compiler), so building the stand-in never needs a system `protoc`.

const PROTO_ROOT: &str = "../proto";
const PROTOS: &[&str] = &["tfplugin6/tfplugin6.5.proto"];

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
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}
