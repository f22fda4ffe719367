//! Filling empty arrival/departure times between timepoints.
//!
//! Rule: between two timed stops A and B (departure of A, arrival of B), a stop K gets
//! `tA + (tB − tA)·f`, rounded to the second, where `f` is
//! * `(dK − dA) / (dB − dA)` when A, B and K all have `shape_dist_traveled`, `dA < dB` and
//!   `dA ≤ dK ≤ dB` (distance is the better proxy for running time), else
//! * the stop's position between A and B in stop_sequence order (`(k − a) / (b − a)`).
//!
//! Filled rows get `arrival = departure` and `interpolated = true`.

use std::borrow::BorrowMut;

use crate::model::StopTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InterpolationError {
    #[error("trip has no stop_times")]
    Empty,
    #[error("first or last stop of the trip has no time, so nothing can be interpolated")]
    EndpointWithoutTime,
}

/// Sorts one trip's rows by stop_sequence and fills every missing time. Rows previously
/// marked `interpolated` are recomputed, so this is safe to rerun once all rows of a trip are
/// known (for trips the loader listed in `Report::trips_needing_interpolation`).
/// Returns the number of rows filled.
pub fn interpolate_trip(rows: &mut [StopTime]) -> Result<usize, InterpolationError> {
    rows.sort_by_key(|r| r.stop_sequence);
    for row in rows.iter_mut().filter(|r| r.interpolated) {
        (row.arrival, row.departure, row.interpolated) = (None, None, false);
    }
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else { return Err(InterpolationError::Empty) };
    if !has_time(first) || !has_time(last) {
        return Err(InterpolationError::EndpointWithoutTime);
    }
    Ok(fill_gaps(rows))
}

fn has_time(row: &StopTime) -> bool {
    row.arrival.is_some() || row.departure.is_some()
}

/// Fills gaps that have a timed row on both sides; leading and trailing gaps stay empty.
/// `rows` must be sorted by stop_sequence.
pub(crate) fn fill_gaps<T: BorrowMut<StopTime>>(rows: &mut [T]) -> usize {
    let mut filled = 0;
    let mut prev: Option<usize> = None;
    for next in 0..rows.len() {
        if !has_time(rows[next].borrow()) {
            continue;
        }
        if let Some(a) = prev.filter(|&a| next > a + 1) {
            filled += fill_between(rows, a, next);
        }
        prev = Some(next);
    }
    filled
}

fn fill_between<T: BorrowMut<StopTime>>(rows: &mut [T], a: usize, b: usize) -> usize {
    let (ra, rb): (&StopTime, &StopTime) = (rows[a].borrow(), rows[b].borrow());
    let t_a = ra.departure.or(ra.arrival).unwrap_or_default();
    let t_b = rb.arrival.or(rb.departure).unwrap_or_default().max(t_a);
    let span = f64::from(t_b - t_a);
    let dist = ra.shape_dist_traveled.zip(rb.shape_dist_traveled).filter(|(da, db)| da < db);
    for (k, row) in rows.iter_mut().enumerate().take(b).skip(a + 1) {
        let row: &mut StopTime = row.borrow_mut();
        let by_position = (k - a) as f64 / (b - a) as f64;
        let fraction = match (dist, row.shape_dist_traveled) {
            (Some((da, db)), Some(dk)) if (da..=db).contains(&dk) => (dk - da) / (db - da),
            _ => by_position,
        };
        let t = t_a + (span * fraction).round() as u32;
        (row.arrival, row.departure, row.interpolated) = (Some(t), Some(t), true);
    }
    b - a - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(seq: u32, time: Option<u32>, dist: Option<f64>) -> StopTime {
        StopTime {
            trip: 0,
            stop: seq,
            stop_sequence: seq,
            arrival: time,
            departure: time,
            interpolated: false,
            stop_headsign: None,
            pickup_type: Default::default(),
            drop_off_type: Default::default(),
            shape_dist_traveled: dist,
            timepoint: None,
        }
    }

    fn times(rows: &[StopTime]) -> Vec<Option<u32>> {
        rows.iter().map(|r| r.departure).collect()
    }

    #[test]
    fn by_position_without_distances() {
        let mut rows = vec![st(30, Some(1000), None), st(10, Some(0), None), st(20, None, None), st(15, None, None)];
        assert_eq!(interpolate_trip(&mut rows), Ok(2));
        assert_eq!(times(&rows), vec![Some(0), Some(333), Some(667), Some(1000)]);
        assert!(rows[1].interpolated && !rows[0].interpolated);
    }

    #[test]
    fn by_distance_when_all_three_have_it() {
        let mut rows = vec![st(1, Some(0), Some(0.0)), st(2, None, Some(900.0)), st(3, Some(1000), Some(1000.0))];
        interpolate_trip(&mut rows).unwrap();
        assert_eq!(rows[1].departure, Some(900));
        // Missing distance on the middle row: fall back to position.
        let mut rows = vec![st(1, Some(0), Some(0.0)), st(2, None, None), st(3, Some(1000), Some(1000.0))];
        interpolate_trip(&mut rows).unwrap();
        assert_eq!(rows[1].departure, Some(500));
    }

    #[test]
    fn uses_departure_of_a_and_arrival_of_b() {
        let mut rows = vec![st(1, Some(0), None), st(2, None, None), st(3, Some(1000), None)];
        rows[0].departure = Some(100);
        rows[2].departure = Some(1100);
        interpolate_trip(&mut rows).unwrap();
        assert_eq!(rows[1].arrival, Some(550));
    }

    #[test]
    fn rerun_recomputes_earlier_interpolation() {
        let mut rows = vec![st(1, Some(0), None), st(3, Some(600), None), st(2, None, None)];
        rows[1].interpolated = true; // came from a partial view of the trip
        rows.push(st(4, Some(900), None));
        assert_eq!(interpolate_trip(&mut rows), Ok(2));
        assert_eq!(times(&rows), vec![Some(0), Some(300), Some(600), Some(900)]);
    }

    #[test]
    fn endpoints_must_have_times() {
        let mut rows = vec![st(1, None, None), st(2, Some(5), None)];
        assert_eq!(interpolate_trip(&mut rows), Err(InterpolationError::EndpointWithoutTime));
        assert_eq!(interpolate_trip(&mut []), Err(InterpolationError::Empty));
    }
}
