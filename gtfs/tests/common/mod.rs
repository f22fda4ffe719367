//! Shared test helpers: fixtures, in-memory zips, and a tiny departures "engine" that does in
//! memory what the app will do in SQL.
#![allow(dead_code)] // each test binary uses a different subset

use std::collections::HashMap;
use std::io::{Cursor, Write};
use std::path::PathBuf;

use gtfs::time::{rfc3339, service_windows, zone};
use gtfs::{Candidate, FeedError, FeedSource, FrequencyTemplate, Headway, MemorySink, Options, Report, ServiceDay};
use jiff::{SignedDuration, Timestamp};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The files of a fixture directory, name → content.
pub fn fixture_files(name: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(fixture(name))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

pub fn zip_bytes(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    zip_bytes_with(files, zip::CompressionMethod::Deflated)
}

pub fn zip_bytes_with(files: &[(String, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, content) in files {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The `basic` fixture as an in-memory zip, with files replaced (`Some`) or removed (`None`).
pub fn basic_with(changes: &[(&str, Option<&str>)]) -> FeedSource {
    let mut files = fixture_files("basic");
    for (name, content) in changes {
        files.retain(|(n, _)| n != name);
        if let Some(content) = content {
            files.push((name.to_string(), content.as_bytes().to_vec()));
        }
    }
    FeedSource::zip("test.zip", Cursor::new(zip_bytes(&files))).unwrap()
}

/// `basic` with `line` appended to one file.
pub fn basic_plus(file: &str, line: &str) -> FeedSource {
    let original = std::fs::read_to_string(fixture("basic").join(file)).unwrap();
    basic_with(&[(file, Some(&format!("{original}{line}\n")))])
}

pub struct Loaded {
    pub sink: MemorySink,
    pub report: Report,
}

pub fn load_source(mut source: FeedSource, options: &Options) -> Result<Loaded, FeedError> {
    let mut sink = MemorySink::default();
    let report = gtfs::load(&mut source, &mut sink, options)?;
    Ok(Loaded { sink, report })
}

pub fn load_fixture(name: &str) -> Loaded {
    load_source(FeedSource::open(fixture(name)).unwrap(), &Options::default()).unwrap()
}

pub fn strict_error(source: FeedSource) -> String {
    match load_source(source, &Options::default()) {
        Ok(_) => panic!("load unexpectedly succeeded"),
        Err(e) => e.to_string(),
    }
}

/// One found departure: trip_id, RFC 3339 instant, exact?
pub type Found = (String, String, bool);

impl Loaded {
    pub fn stop_index(&self, stop_id: &str) -> u32 {
        self.sink.stops.iter().find(|s| s.stop_id == stop_id).expect("stop exists").index
    }

    pub fn trip_id(&self, trip: u32) -> &str {
        &self.sink.trips.iter().find(|t| t.index == trip).unwrap().trip_id
    }

    /// Next departures at a stop or station (children included), as the app's SQL would do it.
    pub fn departures(&self, stop_id: &str, now: &str, horizon_hours: i64, limit: usize) -> Vec<Found> {
        let tz = zone(&self.report.timezone).unwrap();
        let now: Timestamp = now.parse().unwrap();
        let stop = self.stop_index(stop_id);
        let stops: Vec<u32> = self
            .sink
            .stops
            .iter()
            .filter(|s| s.index == stop || s.parent_station == Some(stop))
            .map(|s| s.index)
            .collect();
        let summaries: HashMap<u32, _> = self.sink.trip_summaries.iter().map(|s| (s.trip, *s)).collect();
        let mut headways: HashMap<u32, Vec<Headway>> = HashMap::new();
        for f in &self.sink.frequencies {
            headways.entry(f.trip).or_default().push(Headway {
                start_secs: f.start,
                end_secs: f.end,
                headway_secs: f.headway_secs,
                exact_times: f.exact_times,
            });
        }
        let service_of: HashMap<u32, u32> = self.sink.trips.iter().map(|t| (t.index, t.service)).collect();
        let windows = service_windows(now, &tz, SignedDuration::from_hours(horizon_hours), 48 * 3600);
        let days: Vec<ServiceDay<'_, u32>> = windows
            .into_iter()
            .map(|window| ServiceDay {
                window,
                candidates: self
                    .sink
                    .stop_times
                    .iter()
                    .filter(|st| stops.contains(&st.stop))
                    .filter(|st| self.report.calendar.is_active(service_of[&st.trip], window.date))
                    .filter_map(|st| {
                        let summary = summaries[&st.trip];
                        Some(Candidate {
                            key: st.trip,
                            departure_secs: st.departure?,
                            pickup_type: st.pickup_type,
                            is_last_stop: st.stop_sequence == summary.last_sequence,
                            frequency: headways.get(&st.trip).map(|h| FrequencyTemplate {
                                trip_start_secs: summary.first_departure.unwrap(),
                                headways: h,
                            }),
                        })
                    })
                    .collect(),
            })
            .collect();
        gtfs::next_departures(&days, limit)
            .into_iter()
            .map(|d| (self.trip_id(d.key).to_owned(), rfc3339(d.at, &tz), d.exact))
            .collect()
    }
}
