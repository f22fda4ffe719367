//! Instances that start together all start: four `bmw` processes launched at the same moment
//! on one fresh data directory must agree on the JWT key, the generated certificate and the
//! database schema, and all serve.

use crate::helpers::*;
use reqwest::StatusCode;
use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Kills the processes when the test ends, passed or not.
struct Instances(Vec<Child>);

impl Drop for Instances {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.start_kill();
        }
    }
}

/// Reads the instance's log until it says where it listens.
async fn listening_addr(child: &mut Child) -> SocketAddr {
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let found = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.expect("readable log") {
            if let Some(addr) = line.split("listening on https://").nth(1) {
                let addr: String = addr.chars().take_while(|c| c.is_ascii_digit() || ".:".contains(*c)).collect();
                return Some(addr.parse().expect("an address"));
            }
        }
        None
    })
    .await
    .expect("the instance starts within 30 s");
    match found {
        Some(addr) => addr,
        None => {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = tokio::io::AsyncReadExt::read_to_string(&mut pipe, &mut stderr).await;
            }
            panic!("an instance exited before serving: {stderr}");
        }
    }
}

#[tokio::test]
async fn four_instances_started_together_on_a_fresh_data_dir_all_serve_with_one_key() {
    // A few rounds, each on a new directory: one round may happen to start them in turn.
    for _ in 0..3 {
        start_four_together().await;
    }
}

async fn start_four_together() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_bmw"))
            .args(["--site-addr", "127.0.0.1:0", "--data-dir"])
            .arg(&data)
            .env("BMW_TLS_SELF_SIGNED", "localhost")
            .env("RUST_LOG", "warn,bmw=info")
            .env("NO_COLOR", "1")
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the bmw binary starts")
    };
    let mut instances = Instances((0..4).map(|_| spawn()).collect());
    let mut addrs = vec![];
    for child in &mut instances.0 {
        addrs.push(listening_addr(child).await);
    }

    // One certificate: a client trusting only the stored one reaches every instance.
    let client = |addr: SocketAddr| client_trusting(&data.join("tls/self-signed.crt"), "localhost", addr);
    let url = |addr: SocketAddr, path: &str| format!("https://localhost:{}{path}", addr.port());
    for addr in &addrs {
        let health = client(*addr).get(url(*addr, "/healthz")).send().await.expect("TLS with the stored certificate");
        assert_eq!(health.status(), StatusCode::OK);
    }

    // One key and one schema: a session made on the first instance is honoured by all of them.
    let signup = client(addrs[0])
        .post(url(addrs[0], "/api/auth/signup"))
        .json(&serde_json::json!({"username": "together", "password": "Tr4m-stop-Penguin!", "email": "t@example.com", "name": "T"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), StatusCode::CREATED);
    let access = cookie_value(signup.headers(), "__Host-bmw_access").expect("an access cookie");
    for addr in &addrs {
        let me = client(*addr)
            .get(url(*addr, "/api/auth/me"))
            .header("cookie", format!("__Host-bmw_access={access}"))
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::OK, "instance {addr} uses another key");
    }
}
