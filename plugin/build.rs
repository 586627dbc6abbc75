//! Generates the gRPC code of `ecsnet.v1.Validator` from `proto/` with protox (a pure-Rust
//! protobuf compiler), so building ecsnet never needs a system `protoc`. The protos sit inside
//! the crate so that `cargo package` ships them. go-plugin's own services are generated in the
//! goplugin crate.

use std::path::PathBuf;

const PROTO_ROOT: &str = "proto";
const PROTOS: &[&str] = &["ecsnet/v1/validator.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The files, not the directory: protos of other crates live beside them.
    for p in PROTOS {
        println!("cargo:rerun-if-changed={PROTO_ROOT}/{p}");
    }
    let mut compiler = protox::Compiler::new([PROTO_ROOT])?;
    compiler.include_imports(true).include_source_info(true);
    compiler.open_files(PROTOS)?;
    let fds = compiler.file_descriptor_set();

    // The encoded descriptor set feeds gRPC reflection, which also lets hosts without
    // generated code (examples/go-host) build messages at run time.
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(
        out_dir.join("ecsnet_descriptor.bin"),
        compiler.encode_file_descriptor_set(),
    )?;

    tonic_prost_build::configure()
        .build_server(true)
        // Clients are used by the integration tests and the benchmark.
        .build_client(true)
        // Plans arrive as `Bytes` sliced out of tonic's receive buffer instead of being
        // copied into a fresh `Vec`: a 100 MB plan costs one copy less on its way in.
        .bytes(".ecsnet.v1.ValidatePlanRequest.plan_json")
        .bytes(".ecsnet.v1.ValidatePlanChunk.plan_json")
        .compile_fds(fds)?;
    Ok(())
}
