//! Cold start and resident memory of the runtime tree, for `cargo xtask bench`: the time from
//! starting the container's entrypoint to the first 200 from `/healthz` (on a fresh volume, which
//! includes creating the databases and the key, and again on the same volume), and the resident
//! set size while idle.

use crate::dist::{Image, Server, TempDir};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Report lines: first start, restart, idle RSS after start.
pub fn measure(image: &Image, port: u16) -> Result<Vec<String>, String> {
    let volume = TempDir::new("bench-start")?;
    let origin = [("BMW_PUBLIC_ORIGIN", format!("http://127.0.0.1:{port}"))];
    let (first, _) = start(image, port, &volume, &origin)?;
    let (again, server) = start(image, port, &volume, &origin)?;
    std::thread::sleep(Duration::from_secs(1));
    let rss = server.rss_kib().ok_or("cannot read the server's resident set size")?;
    Ok(vec![
        String::new(),
        "| start (entrypoint → first 200 from /healthz) | time |".into(),
        "|---|---|".into(),
        format!("| fresh volume (databases, migrations, key created) | {:.0} ms (target ≤ 100 ms) |", ms(first)),
        format!("| same volume again | {:.0} ms |", ms(again)),
        format!("| idle resident memory after start | {:.1} MB (target ≤ 30 MB) |", rss as f64 / 1024.0),
    ])
}

/// Starts the entrypoint on `volume`; how long until it answered, and the running server.
fn start(image: &Image, port: u16, volume: &TempDir, env: &[(&str, String)]) -> Result<(Duration, Server), String> {
    let started = Instant::now();
    let server = image.run(port, &volume.join("data"), env)?;
    Ok((until_healthy(port, started)?, server))
}

/// Polls every millisecond; a process per poll (curl) would cost more than the start itself.
fn until_healthy(port: u16, started: Instant) -> Result<Duration, String> {
    while started.elapsed() < Duration::from_secs(30) {
        if healthz_is_200(port) {
            return Ok(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Err(format!("nothing answered /healthz on port {port} within 30 s"))
}

/// One HTTP/1.1 request with the connection closed after it: enough to read a status line.
fn healthz_is_200(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let mut head = [0u8; 12];
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_exact(&mut head).is_ok()
        && head.starts_with(b"HTTP/1.1 200")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
