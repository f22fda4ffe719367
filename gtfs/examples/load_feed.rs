//! Parses and validates a feed with a null sink and prints the report.
//!
//! `cargo run --release --example load_feed -- <zip|dir> [--lenient] [--progress]`

use std::process::ExitCode;

use gtfs::{FeedSource, NullSink, Options, Progress, Sink};

/// Null sink that prints progress lines.
struct Printing(bool);

impl Sink for Printing {
    type Error = std::convert::Infallible;
    fn progress(&mut self, p: &Progress) {
        if self.0 {
            eprintln!(
                "  {:<20} {:>10} rows {:>12.0} rows/s{}",
                p.file,
                p.rows,
                p.rows_per_second(),
                if p.finished { " done" } else { "" }
            );
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: load_feed <zip|dir> [--lenient] [--progress]");
        return ExitCode::from(2);
    };
    let options = Options { lenient: args.iter().any(|a| a == "--lenient"), ..Options::default() };
    let result = FeedSource::open(path).and_then(|mut source| {
        if args.iter().any(|a| a == "--progress") {
            gtfs::load(&mut source, &mut Printing(true), &options)
        } else {
            gtfs::load(&mut source, &mut NullSink, &options)
        }
    });
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "agencies {} stops {} routes {} services {} trips {} stop_times {} calendar_dates {} frequencies {}",
        report.agencies,
        report.stops,
        report.routes,
        report.services,
        report.trips,
        report.stop_times,
        report.calendar_dates,
        report.frequencies
    );
    println!(
        "timezone {} service range {:?} interpolated {} trips needing interpolation {}",
        report.timezone,
        report.calendar.date_range(),
        report.interpolated_stop_times,
        report.trips_needing_interpolation.len()
    );
    for f in &report.files {
        println!("  {:<20} {:>9} rows {:>6} skipped {:>8.3} s", f.file, f.rows, f.skipped, f.elapsed.as_secs_f64());
    }
    println!("ignored files: {}", report.ignored_files.join(", "));
    for w in &report.warnings {
        println!("warning: {w}");
    }
    for s in &report.skipped {
        println!("skipped {} rows of {} ({})", s.count, s.file, s.kind);
        for e in &s.examples {
            println!("    {e}");
        }
    }
    println!("unpacked {} bytes, elapsed {:.3} s", report.unpacked_bytes, report.elapsed.as_secs_f64());
    ExitCode::SUCCESS
}
