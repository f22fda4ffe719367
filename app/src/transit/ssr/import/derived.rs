//! What pages need that a feed only says across files, worked out while it streams past (on
//! the loader's thread): which routes call at each stop, each route's stops in order per
//! direction (from its longest trip), the latest time of day, and which trips run by
//! frequency. Memory is per trip and per route, never per stop_time.

use gtfs::{Frequency, StopTime, Trip};
use std::collections::{BTreeMap, BTreeSet};

/// The stops of a route's longest trip in one direction, and where it goes.
#[derive(Debug, Default)]
pub struct LongestTrip {
    pub stops: Vec<u32>,
    pub headsign: Option<String>,
}

#[derive(Debug, Default)]
pub struct Derived {
    /// Per trip (by index): its route, direction and headsign.
    trips: Vec<(u32, Option<u8>, Option<String>)>,
    /// The trip whose contiguous run of stops is being read, and those stops.
    run: Option<(u32, Vec<u32>)>,
    pub stop_routes: BTreeSet<(u32, u32)>,
    pub route_stops: BTreeMap<(u32, Option<u8>), LongestTrip>,
    pub stop_times: u64,
    pub max_time: u32,
    pub frequency_trips: BTreeSet<u32>,
}

impl Derived {
    pub fn trips(&mut self, rows: &[Trip]) {
        for t in rows {
            let i = t.index as usize;
            if self.trips.len() <= i {
                self.trips.resize(i + 1, (0, None, None));
            }
            self.trips[i] = (t.route, t.direction_id, t.headsign.clone());
        }
    }

    /// The loader hands each trip's contiguous run of rows in stop_sequence order.
    pub fn stop_time(&mut self, st: &StopTime) {
        self.stop_times += 1;
        self.max_time = self.max_time.max(st.departure.unwrap_or(0)).max(st.arrival.unwrap_or(0));
        if let Some(&(route, _, _)) = self.trips.get(st.trip as usize) {
            self.stop_routes.insert((st.stop, route));
        }
        match &mut self.run {
            Some((trip, stops)) if *trip == st.trip => stops.push(st.stop),
            _ => {
                self.end_run();
                self.run = Some((st.trip, vec![st.stop]));
            }
        }
    }

    pub fn frequencies(&mut self, rows: &[Frequency]) {
        self.frequency_trips.extend(rows.iter().map(|f| f.trip));
    }

    /// Keeps the finished run if it is its route's longest in that direction.
    pub fn end_run(&mut self) {
        let Some((trip, stops)) = self.run.take() else { return };
        let Some((route, direction, headsign)) = self.trips.get(trip as usize).cloned() else { return };
        let best = self.route_stops.entry((route, direction)).or_default();
        if stops.len() > best.stops.len() {
            *best = LongestTrip { stops, headsign };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trip(index: u32, route: u32, direction: u8) -> Trip {
        Trip {
            index,
            trip_id: format!("T{index}"),
            route,
            service: 0,
            headsign: Some(format!("to {index}")),
            short_name: None,
            direction_id: Some(direction),
            block_id: None,
            shape_id: None,
            wheelchair_accessible: None,
            bikes_allowed: None,
        }
    }

    fn call(trip: u32, stop: u32, departure: u32) -> StopTime {
        StopTime {
            trip,
            stop,
            stop_sequence: stop,
            arrival: Some(departure),
            departure: Some(departure),
            interpolated: false,
            stop_headsign: None,
            pickup_type: gtfs::PickupDropOff::Regular,
            drop_off_type: gtfs::PickupDropOff::Regular,
            shape_dist_traveled: None,
            timepoint: None,
        }
    }

    #[test]
    fn routes_keep_their_longest_trip_per_direction() {
        let mut d = Derived::default();
        d.trips(&[trip(0, 7, 0), trip(1, 7, 0), trip(2, 7, 1)]);
        for st in [call(0, 1, 10), call(0, 2, 20), call(1, 1, 30), call(1, 2, 40), call(1, 3, 90_000), call(2, 3, 50)] {
            d.stop_time(&st);
        }
        d.end_run();
        assert_eq!(d.route_stops[&(7, Some(0))].stops, [1, 2, 3]);
        assert_eq!(d.route_stops[&(7, Some(0))].headsign.as_deref(), Some("to 1"));
        assert_eq!(d.route_stops[&(7, Some(1))].stops, [3]);
        assert_eq!(d.stop_routes.len(), 3);
        assert_eq!((d.stop_times, d.max_time), (6, 90_000));
    }
}
