//! The REST API fuzzed from its own OpenAPI document. schemathesis (pinned in
//! `xtask/fuzz/requirements.txt`) reads `/api/openapi.json` from the dev binary, serving the
//! Caltrain feed on loopback, and sends generated requests: valid ones, invalid ones, and
//! stateful sequences (create a group, then change, read and delete it). It runs twice: anonymous
//! and signed in. Any 5xx or any answer that breaks the document fails the run; afterwards
//! `xtask/fuzz/check_state.py` checks that what the fuzzing left behind still holds together.

use crate::dist::{Server, TempDir};
use crate::feeds;
use crate::shell::{Cmd, root};
use crate::test::TestFeeds;

const PORT: u16 = 3610;
/// Generated cases per operation and phase: enough to find shape and validation bugs while
/// keeping `cargo xtask test` bounded (about a minute for both runs).
pub const DEFAULT_EXAMPLES: u32 = 25;
/// The account the signed-in run uses (made here, on a throwaway database).
const USERNAME: &str = "fuzzer";
const PASSWORD: &str = "correct horse battery staple";
/// Real ids in the Caltrain feed, so stop and route answers are full ones.
const STOP: &str = "caltrain:palo_alto";
const ROUTE: &str = "caltrain:77119";

pub fn api_matches_its_document(test_feeds: &TestFeeds, examples: u32) -> Result<(), String> {
    let python = feeds::virtualenv("target/fuzzenv", "xtask/fuzz/requirements.txt", "schemathesis")?;
    let data = TempDir::new("fuzz")?;
    let server = Server::dev_with_feeds(&data, &[("caltrain", test_feeds.caltrain.as_path())], PORT)?;
    let check_state = |step: &str| {
        Cmd::new(&python.display().to_string())
            .arg(root().join("xtask/fuzz/check_state.py").display().to_string())
            .args([step, &server.url(""), USERNAME, PASSWORD, STOP])
            .run()
    };
    check_state("sign-up")?;

    let anonymous = root().join("xtask/fuzz/schemathesis.toml");
    let signed_in = data.join("signed-in.toml");
    let both = [&anonymous, &root().join("xtask/fuzz/signed-in.toml")]
        .iter()
        .map(|p| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display())))
        .collect::<Result<Vec<_>, _>>()?
        .join("\n");
    std::fs::write(&signed_in, both).map_err(|e| e.to_string())?;
    let schemathesis = python.with_file_name("schemathesis").display().to_string();
    for (who, config) in [("anonymous", &anonymous), ("signed in", &signed_in)] {
        println!("xtask: schemathesis, {who}, {examples} examples per operation");
        Cmd::new(&schemathesis)
            .arg("--config-file")
            .arg(config.display().to_string())
            .args(["run", &server.url("/api/openapi.json"), "--workers", "2", "--max-examples"])
            .arg(examples.to_string())
            .env("BMW_FUZZ_USERNAME", USERNAME)
            .env("BMW_FUZZ_PASSWORD", PASSWORD)
            .env("BMW_FUZZ_STOP", STOP)
            .env("BMW_FUZZ_ROUTE", ROUTE)
            .dir(data.join(""))
            .run()?;
    }
    check_state("after-fuzzing")?;
    println!("xtask: the API kept to its OpenAPI document under schemathesis, and its state holds");
    Ok(())
}
