//! The doctor's output: plain text for people, or JSON (`--json`) for scripts.

use app::doctor::model::{Analysis, CheckReport, Status};
use serde::Serialize;
use std::fmt::Write;

pub fn emit<T: Serialize>(value: &T, json: bool, text: fn(&T) -> String) {
    if json {
        match serde_json::to_string_pretty(value) {
            Ok(out) => println!("{out}"),
            Err(e) => eprintln!("bmw doctor: cannot write JSON: {e}"),
        }
    } else {
        print!("{}", text(value));
    }
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
    }
}

/// `writeln!` into a String cannot fail.
macro_rules! say {
    ($out:expr) => { let _ = writeln!($out); };
    ($out:expr, $($arg:tt)*) => { let _ = writeln!($out, $($arg)*); };
}

pub fn analysis(a: &Analysis) -> String {
    let mut out = String::new();
    say!(out, "Pages: {}\nAPI:   {}\n", a.page_origin, a.api_origin);
    say!(out, "Relation: {}, because {}.\n", a.relation.label().to_uppercase(), a.relation_why);
    if let Some(refusal) = &a.refusal {
        say!(out, "VERDICT: this cannot work.\n  {refusal}\n");
    }
    if !a.attributes.is_empty() {
        say!(out, "Session cookies: {}", a.cookie_names.join(", "));
        for attr in &a.attributes {
            say!(out, "  {:<12} {:<18} {}", attr.name, attr.value, attr.reason);
        }
        say!(out);
    }
    say!(out, "Browsers today:");
    for b in &a.browsers {
        say!(out, "  {} {:<9} {}", mark(b.status), b.engine, b.verdict);
    }
    for (title, lines) in [("CORS", &a.cors), ("CSRF", &a.csrf), ("Warnings", &a.warnings)] {
        if !lines.is_empty() {
            say!(out, "\n{title}:");
            for l in lines {
                say!(out, "  - {l}");
            }
        }
    }
    say!(out, "\nSources:");
    for s in &a.sources {
        say!(out, "  - {s}");
    }
    out
}

pub fn report(r: &CheckReport) -> String {
    let mut out = String::new();
    say!(out, "Pages: {}\nAPI:   {}\nRelation: {}\n", r.page_origin, r.api_origin, r.relation.label());
    for f in &r.findings {
        say!(out, "{} {:<32} {}", mark(f.status), f.id, f.summary);
        if let Some(fix) = &f.fix {
            say!(out, "     {:<32} Fix: {fix}", "");
        }
    }
    if !r.notes.is_empty() {
        say!(out, "\nNotes:");
        for n in &r.notes {
            say!(out, "  - {n}");
        }
    }
    let count = |s| r.findings.iter().filter(|f| f.status == s).count();
    say!(out, "\n{} passed, {} warnings, {} failed", count(Status::Pass), count(Status::Warn), count(Status::Fail));
    out
}
