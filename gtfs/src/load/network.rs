//! agency.txt, stops.txt, routes.txt and trips.txt.

use super::{Batch, Loader};
use crate::error::{FeedError, IssueKind, RowIssue};
use crate::model::{Accessibility, Agency, LocationType, Route, Stop, Trip};
use crate::parse;
use crate::report::Warning;
use crate::sink::Sink;
use crate::source::FeedSource;
use crate::spec;

impl<S: Sink> Loader<'_, S> {
    pub(super) fn agencies(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        const FILE: &str = "agency.txt";
        let Some((mut t, mut run)) = self.open(source, FILE, spec::AGENCY)? else { return Ok(()) };
        let id = t.column("agency_id");
        let (name, url, tz) = (t.required("agency_name")?, t.required("agency_url")?, t.required("agency_timezone")?);
        let (lang, phone) = (t.column("agency_lang"), t.column("agency_phone"));
        let mut batch = Batch::new(self.options.batch_size);
        let mut zones: Vec<String> = Vec::new();
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            let parsed = (|| {
                let key = row.bytes(id);
                if self.agencies.contains(key) {
                    return Err(row.issue(id, IssueKind::DuplicateKey));
                }
                row.required(tz, parse::timezone)?;
                let agency = Agency {
                    index: self.agencies.len(),
                    agency_id: row.string(id)?,
                    name: row.required_text(name)?.to_owned(),
                    url: row.required_text(url)?.to_owned(),
                    timezone: row.required_text(tz)?.to_owned(),
                    lang: row.string(lang)?,
                    phone: row.string(phone)?,
                };
                Ok((key, agency))
            })();
            match parsed {
                Ok((key, agency)) => {
                    self.agencies.insert(key);
                    if !zones.contains(&agency.timezone) {
                        zones.push(agency.timezone.clone());
                    }
                    batch.push(agency, |rows| self.sink.agencies(rows)).map_err(Self::sink_error(FILE))?;
                }
                Err(issue) => self.reject(issue)?,
            }
        }
        batch.flush(|rows| self.sink.agencies(rows)).map_err(Self::sink_error(FILE))?;
        self.finish_file(&t, run);
        self.report.timezone = zones.first().cloned().unwrap_or_default();
        if zones.len() > 1 {
            self.report.warnings.push(Warning::MixedTimezones { zones });
        }
        self.report.agencies = self.agencies.count();
        Ok(())
    }

    pub(super) fn stops(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        const FILE: &str = "stops.txt";
        let Some((mut t, mut run)) = self.open(source, FILE, spec::STOPS)? else { return Ok(()) };
        let id = t.required("stop_id")?;
        let (code, name, lat, lon) =
            (t.column("stop_code"), t.column("stop_name"), t.column("stop_lat"), t.column("stop_lon"));
        let (kind, parent, platform) =
            (t.column("location_type"), t.column("parent_station"), t.column("platform_code"));
        let (tz, wheelchair) = (t.column("stop_timezone"), t.column("wheelchair_boarding"));
        let mut batch = Batch::new(self.options.batch_size);
        // Children whose parent_station comes later in the file wait here (bounded by stop count).
        let mut waiting: Vec<(Stop, String, RowIssue)> = Vec::new();
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            let parsed = (|| {
                let key = row.required_bytes(id)?;
                if self.stops.contains(key) {
                    return Err(row.issue(id, IssueKind::DuplicateKey));
                }
                let location_type = match row.parse(kind, |v| parse::code(v, |c| c <= 4))? {
                    None | Some(0) => LocationType::Stop,
                    Some(1) => LocationType::Station,
                    Some(2) => LocationType::Entrance,
                    Some(3) => LocationType::GenericNode,
                    Some(_) => LocationType::BoardingArea,
                };
                let positioned =
                    matches!(location_type, LocationType::Stop | LocationType::Station | LocationType::Entrance);
                let coordinate = |col, f: fn(&[u8]) -> Result<f64, IssueKind>| match positioned {
                    true => row.required(col, f).map(Some),
                    false => row.parse(col, f),
                };
                row.parse(tz, parse::timezone)?;
                let stop = Stop {
                    index: 0,
                    stop_id: row.required_text(id)?.to_owned(),
                    code: row.string(code)?,
                    name: if positioned { Some(row.required_text(name)?.to_owned()) } else { row.string(name)? },
                    lat: coordinate(lat, parse::latitude)?,
                    lon: coordinate(lon, parse::longitude)?,
                    location_type,
                    parent_station: None,
                    platform_code: row.string(platform)?,
                    timezone: row.string(tz)?,
                    wheelchair_boarding: row.parse(wheelchair, accessibility)?,
                };
                let parent = row.string(parent)?.map(|p| (p, row.issue(parent, IssueKind::UnknownReference(FILE))));
                Ok((stop, parent))
            })();
            match parsed {
                Ok((mut stop, parent)) => {
                    stop.index = self.stops.insert(stop.stop_id.as_bytes());
                    if let Some((p, issue)) = parent {
                        match self.stops.get(p.as_bytes()) {
                            Some(p) => stop.parent_station = Some(p),
                            None => {
                                waiting.push((stop, p, issue));
                                continue;
                            }
                        }
                    }
                    batch.push(stop, |rows| self.sink.stops(rows)).map_err(Self::sink_error(FILE))?;
                }
                Err(issue) => self.reject(issue)?,
            }
        }
        for (mut stop, parent, issue) in waiting {
            match self.stops.get(parent.as_bytes()) {
                Some(p) => {
                    stop.parent_station = Some(p);
                    batch.push(stop, |rows| self.sink.stops(rows)).map_err(Self::sink_error(FILE))?;
                }
                None => {
                    // Lenient: the child goes too, so later references to it are reported.
                    self.stops.remove(stop.stop_id.as_bytes());
                    self.reject(issue)?;
                }
            }
        }
        batch.flush(|rows| self.sink.stops(rows)).map_err(Self::sink_error(FILE))?;
        self.finish_file(&t, run);
        self.report.stops = self.stops.count();
        Ok(())
    }

    pub(super) fn routes(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        const FILE: &str = "routes.txt";
        let Some((mut t, mut run)) = self.open(source, FILE, spec::ROUTES)? else { return Ok(()) };
        let (id, agency, kind) = (t.required("route_id")?, t.column("agency_id"), t.required("route_type")?);
        let (short, long) = (t.column("route_short_name"), t.column("route_long_name"));
        let (color, text_color, sort) =
            (t.column("route_color"), t.column("route_text_color"), t.column("route_sort_order"));
        let mut batch = Batch::new(self.options.batch_size);
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            let parsed = (|| {
                let key = row.required_bytes(id)?;
                if self.routes.contains(key) {
                    return Err(row.issue(id, IssueKind::DuplicateKey));
                }
                let agency = match row.bytes(agency) {
                    b"" if self.agencies.count() == 1 => self.agencies.sole(),
                    b"" => return Err(row.issue(agency, IssueKind::MissingValue)),
                    other => self
                        .agencies
                        .get(other)
                        .ok_or_else(|| row.issue(agency, IssueKind::UnknownReference("agency.txt")))?,
                };
                let route = Route {
                    index: 0,
                    route_id: row.required_text(id)?.to_owned(),
                    agency,
                    short_name: row.string(short)?,
                    long_name: row.string(long)?,
                    route_type: row.required(kind, |v| parse::code(v, |c| c <= 12 || (100..1800).contains(&c)))? as u16,
                    color: row.parse(color, parse::color)?,
                    text_color: row.parse(text_color, parse::color)?,
                    sort_order: row.parse(sort, parse::uint)?,
                };
                if route.short_name.is_none() && route.long_name.is_none() {
                    return Err(row.issue(short, IssueKind::MissingValue));
                }
                Ok(route)
            })();
            match parsed {
                Ok(mut route) => {
                    route.index = self.routes.insert(route.route_id.as_bytes());
                    batch.push(route, |rows| self.sink.routes(rows)).map_err(Self::sink_error(FILE))?;
                }
                Err(issue) => self.reject(issue)?,
            }
        }
        batch.flush(|rows| self.sink.routes(rows)).map_err(Self::sink_error(FILE))?;
        self.finish_file(&t, run);
        self.report.routes = self.routes.count();
        Ok(())
    }

    pub(super) fn trips(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        const FILE: &str = "trips.txt";
        self.report.services = self.services.count();
        let Some((mut t, mut run)) = self.open(source, FILE, spec::TRIPS)? else { return Ok(()) };
        let (id, route, service) = (t.required("trip_id")?, t.required("route_id")?, t.required("service_id")?);
        let (headsign, short, direction) =
            (t.column("trip_headsign"), t.column("trip_short_name"), t.column("direction_id"));
        let (block, shape) = (t.column("block_id"), t.column("shape_id"));
        let (wheelchair, bikes) = (t.column("wheelchair_accessible"), t.column("bikes_allowed"));
        let mut batch = Batch::new(self.options.batch_size);
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            let parsed = (|| {
                let key = row.required_bytes(id)?;
                if self.trips.contains(key) {
                    return Err(row.issue(id, IssueKind::DuplicateKey));
                }
                let route_index = self.routes.get(row.required_bytes(route)?);
                let service_index = self.services.get(row.required_bytes(service)?);
                Ok(Trip {
                    index: 0,
                    trip_id: row.required_text(id)?.to_owned(),
                    route: route_index.ok_or_else(|| row.issue(route, IssueKind::UnknownReference("routes.txt")))?,
                    service: service_index.ok_or_else(|| {
                        row.issue(service, IssueKind::UnknownReference("calendar.txt or calendar_dates.txt"))
                    })?,
                    headsign: row.string(headsign)?,
                    short_name: row.string(short)?,
                    direction_id: row.parse(direction, |v| parse::code(v, |c| c <= 1))?.map(|d| d as u8),
                    block_id: row.string(block)?,
                    shape_id: row.string(shape)?,
                    wheelchair_accessible: row.parse(wheelchair, accessibility)?,
                    bikes_allowed: row.parse(bikes, accessibility)?,
                })
            })();
            match parsed {
                Ok(mut trip) => {
                    trip.index = self.trips.insert(trip.trip_id.as_bytes());
                    self.trip_ids.push(trip.trip_id.clone());
                    batch.push(trip, |rows| self.sink.trips(rows)).map_err(Self::sink_error(FILE))?;
                }
                Err(issue) => self.reject(issue)?,
            }
        }
        batch.flush(|rows| self.sink.trips(rows)).map_err(Self::sink_error(FILE))?;
        self.finish_file(&t, run);
        self.report.trips = self.trips.count();
        Ok(())
    }
}

fn accessibility(v: &[u8]) -> Result<Accessibility, IssueKind> {
    Ok(match parse::code(v, |c| c <= 2)? {
        0 => Accessibility::NoInfo,
        1 => Accessibility::Yes,
        _ => Accessibility::No,
    })
}
