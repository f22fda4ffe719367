//! Writes the prost types of the official GTFS Realtime protocol to gtfs/src/realtime/proto.rs.

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let realtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../gtfs/src/realtime");
    let descriptors = protox::compile(["gtfs-realtime.proto"], [&realtime])?;
    let out = tempfile_dir()?;
    prost_build::Config::new().out_dir(&out).compile_fds(descriptors)?;
    let code = std::fs::read_to_string(out.join("transit_realtime.rs"))?;
    let header = "// Generated from gtfs-realtime.proto (Apache-2.0, The GTFS Specifications Authors) by\n\
                  // prost-build with protox: `cargo run --manifest-path xtask/protogen/Cargo.toml`.\n\
                  // Do not edit.\n";
    std::fs::write(realtime.join("proto.rs"), format!("{header}{code}"))?;
    std::fs::remove_dir_all(&out)?;
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("bmw-protogen-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
