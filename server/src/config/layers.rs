//! Layering: flag > environment variable > `Leptos.toml` > default.
//!
//! clap reads flags, environment and defaults. The file's values are slotted in as the
//! defaults, so each setting is still declared only once (in `settings.rs`). Every key in the
//! file has the name of its environment variable; unknown keys are refused, so typos don't pass
//! silently.

use super::ConfigError;
use super::cli::Cli;
use super::settings::SECRET_KEYS;
use clap::CommandFactory;
use std::collections::BTreeMap;
use std::path::Path;

/// Settings from the file (or given by a test), keyed by environment-variable name.
pub type Values = BTreeMap<String, String>;

/// Reads a `Leptos.toml`-style file.
pub fn read_file(path: &Path) -> Result<Values, ConfigError> {
    let fail = |message: String| ConfigError::File(path.into(), message);
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| fail(e.to_string()))?;
    let mut values = Values::new();
    for (key, value) in table {
        let text = match value {
            toml::Value::String(text) => text,
            toml::Value::Integer(n) => n.to_string(),
            toml::Value::Float(n) => n.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => return Err(fail(format!("`{key}` must be a string or a number"))),
        };
        values.insert(key, text);
    }
    let known = known_keys();
    if let Some(unknown) = values.keys().find(|key| !known.contains(key) && !SECRET_KEYS.contains(&key.as_str())) {
        return Err(fail(format!("unknown key `{unknown}`; the keys are the environment variables in `bmw --help`")));
    }
    Ok(values)
}

/// The environment-variable names of every flag.
fn known_keys() -> Vec<String> {
    Cli::command().get_arguments().filter_map(|arg| arg.get_env()?.to_str().map(String::from)).collect()
}

/// The command-line parser with `values` as the defaults. Without `environment`, variables are
/// not read at all (tests, so a developer's shell cannot change what they test).
pub fn command(values: &Values, environment: bool) -> clap::Command {
    let mut command = Cli::command();
    let args: Vec<(clap::Id, Option<String>)> = command
        .get_arguments()
        .map(|arg| (arg.get_id().clone(), arg.get_env().and_then(|e| e.to_str()).map(String::from)))
        .collect();
    for (id, env) in args {
        if let Some(value) = env.as_ref().and_then(|key| values.get(key)) {
            let value = value.clone();
            command = command.mut_arg(&id, move |arg| arg.default_value(value));
        }
        if !environment {
            command = command.mut_arg(&id, |arg| arg.env(None));
        }
    }
    command
}
