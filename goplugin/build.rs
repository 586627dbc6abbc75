//! Generates the gRPC code for go-plugin's own services (controller, broker, stdio) from
//! `proto/plugin` with protox (a pure-Rust protobuf compiler), so building never needs a
//! system `protoc`. The protos sit inside the crate so that `cargo package` ships them. An app
//! compiles its own protos in its own build script.

use std::path::PathBuf;

const PROTO_ROOT: &str = "proto";
const PROTOS: &[&str] = &[
    "plugin/grpc_controller.proto",
    "plugin/grpc_stdio.proto",
    "plugin/grpc_broker.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for p in PROTOS {
        println!("cargo:rerun-if-changed={PROTO_ROOT}/{p}");
    }
    let mut compiler = protox::Compiler::new([PROTO_ROOT])?;
    compiler.include_imports(true).include_source_info(true);
    compiler.open_files(PROTOS)?;
    let fds = compiler.file_descriptor_set();

    // The encoded descriptor set feeds gRPC reflection next to the app's own sets.
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(
        out_dir.join("goplugin_descriptor.bin"),
        compiler.encode_file_descriptor_set(),
    )?;

    tonic_prost_build::configure()
        .build_server(true)
        // Clients are for hosts written in Rust: tests and benchmarks.
        .build_client(true)
        // Unimplemented RPCs (GRPCStdio, GRPCBroker streams) answer UNIMPLEMENTED.
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}
