//! What the doctor finds, as plain data: printed by `bmw doctor`, serialised by `--json`, shown
//! by `/doctor`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// How two origins relate, in the browser's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    SameOrigin,
    /// Same scheme and registrable domain (Public Suffix List); ports do not count.
    SameSite,
    CrossSite,
}

impl Relation {
    pub fn label(self) -> &'static str {
        match self {
            Relation::SameOrigin => "same origin",
            Relation::SameSite => "same site",
            Relation::CrossSite => "cross-site",
        }
    }
}

/// One attribute of the session cookie, and why it has that value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: String,
    pub reason: String,
}

/// What one browser engine does with the session cookie in this topology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserVerdict {
    pub engine: String,
    pub status: Status,
    pub verdict: String,
}

/// The offline verdict for a page origin and an API origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    pub page_origin: String,
    pub api_origin: String,
    pub relation: Relation,
    pub relation_why: String,
    /// The session cookies' names (empty when the topology is refused).
    pub cookie_names: Vec<String>,
    pub attributes: Vec<Attribute>,
    pub browsers: Vec<BrowserVerdict>,
    pub cors: Vec<String>,
    pub csrf: Vec<String>,
    /// Works, but deserves a word.
    pub warnings: Vec<String>,
    /// Why BMW refuses this topology, with the fix. `None` when it works.
    pub refusal: Option<String>,
    /// Where the browser facts come from.
    pub sources: Vec<String>,
}

impl Analysis {
    pub fn works(&self) -> bool {
        self.refusal.is_none()
    }
}

/// One result of the live check: a stable `id` (for scripts and tests), what was seen, and the
/// exact fix when it is not a pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The live check of a deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub page_origin: String,
    pub api_origin: String,
    pub relation: Relation,
    pub findings: Vec<Finding>,
    /// What could not be checked, and why.
    pub notes: Vec<String>,
}

impl CheckReport {
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.status == Status::Fail)
    }
}

/// The probe cookie the API set for the in-browser truth test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    /// The `Set-Cookie` line, with the value left out.
    pub set_cookie: String,
    pub value: String,
    pub api_origin: String,
}
