//! `bmw gtfs import | list | remove`.

use super::{Job, Outcome, import_from};
use crate::config::{Config, FeedLocation, GtfsCommand};
use crate::startup;
use app::transit::ssr::import::{self, ImportOptions, Imported};
use app::transit::ssr::store;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

pub async fn run(command: GtfsCommand, config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let (data_dir, catalog) = startup::open_catalog(config).await?;
    match command {
        GtfsCommand::Import { source, feed, lenient, max_unpacked_mib } => {
            let location = FeedLocation::parse(&source)?;
            let options = ImportOptions {
                lenient,
                max_unpacked_bytes: max_unpacked_mib.saturating_mul(1 << 20),
                only_if_missing: false,
            };
            let progress = Progress::new();
            let scratch = data_dir.join("downloads");
            let job = Job {
                feed: &feed,
                location: &location,
                known: None,
                scratch: &scratch,
                options,
                imported_at: jiff::Timestamp::now().as_second(),
            };
            let outcome = import_from(&catalog, &job, |p| progress.show(p)).await;
            progress.done();
            match outcome? {
                Outcome::Imported(imported) => println!("{}", summary(&imported)),
                Outcome::Unchanged => println!("{feed}: unchanged"),
            }
        }
        GtfsCommand::List => {
            let feeds = store::feeds(&mut *catalog.acquire().await?).await?;
            if feeds.is_empty() {
                println!("No feeds. Import one with: bmw gtfs import <zip | directory | https URL> --feed <name>");
            }
            for f in feeds {
                let dates = match (f.start_date, f.end_date) {
                    (Some(start), Some(end)) => format!("{start} to {end}"),
                    _ => "no service dates".into(),
                };
                let imported = jiff::Timestamp::from_second(f.imported_at).map_or(String::new(), |t| t.to_string());
                println!(
                    "{}  version {}  {} stops, {} routes, {} trips, {} stop_times  service {dates}  {}  imported {imported} from {}",
                    f.name, f.version, f.stops, f.routes, f.trips, f.stop_times, f.timezone, f.source
                );
            }
        }
        GtfsCommand::Remove { feed } => {
            if import::remove(&catalog, &feed).await? {
                println!("{feed}: removed");
            } else {
                return Err(format!("there is no feed named {feed:?}; `bmw gtfs list` shows them").into());
            }
        }
    }
    Ok(())
}

/// What a person reads after an import.
fn summary(done: &Imported) -> String {
    let r = &done.report;
    let mut lines = vec![format!(
        "{}: imported as version {}{} in {:.1} s: {} agencies, {} stops, {} routes, {} trips, {} stop_times ({} interpolated)",
        done.feed,
        done.version,
        done.replaced.map(|v| format!(", replacing version {v}")).unwrap_or_default(),
        done.elapsed.as_secs_f64(),
        r.agencies,
        r.stops,
        r.routes,
        r.trips,
        r.stop_times,
        r.interpolated_stop_times,
    )];
    if let Some((start, end)) = r.calendar.date_range() {
        lines.push(format!("  service from {start} to {end}, times in {}", r.timezone));
    }
    if !r.ignored_files.is_empty() {
        lines.push(format!("  not imported: {}", r.ignored_files.join(", ")));
    }
    lines.extend(warning_lines(&r.warnings));
    for skipped in &r.skipped {
        lines.push(format!("  skipped {} rows of {}: {}", skipped.count, skipped.file, skipped.kind));
        lines.extend(skipped.examples.iter().map(|e| format!("    e.g. {e}")));
    }
    lines.join("\n")
}

/// Warnings for people: unknown columns and files (extensions, common in real feeds) are
/// grouped, one line per file; the others one line each.
fn warning_lines(warnings: &[gtfs::Warning]) -> Vec<String> {
    let mut columns: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    let mut files = vec![];
    let mut lines = vec![];
    for warning in warnings {
        match warning {
            gtfs::Warning::UnknownColumn { file, column } => columns.entry(file).or_default().push(column),
            gtfs::Warning::UnknownFile { name } => files.push(name.as_str()),
            other => lines.push(format!("  warning: {other}")),
        }
    }
    if !files.is_empty() {
        lines.push(format!("  ignored {} files BMW does not know: {}", files.len(), files.join(", ")));
    }
    for (file, names) in columns {
        lines.push(format!("  ignored {} unknown columns of {file}: {}", names.len(), names.join(", ")));
    }
    lines
}

/// A progress bar on a terminal; otherwise a line per finished file.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self { bar }
    }

    fn show(&self, p: &gtfs::Progress) {
        let line = format!("{}: {} rows ({:.0} rows/s)", p.file, p.rows, p.rows_per_second());
        match (&self.bar, p.finished) {
            (Some(bar), true) => bar.println(format!("  read {line}")),
            (Some(bar), false) => bar.set_message(line),
            (None, true) => eprintln!("read {line}"),
            (None, false) => eprintln!("reading {line}"),
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
