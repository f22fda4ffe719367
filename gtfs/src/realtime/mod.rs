//! GTFS Realtime: decoding a feed message and merging its trip updates and alerts into
//! scheduled departures, as the specification says
//! (<https://gtfs.org/realtime/reference/>). Pure: the app polls the feeds and supplies the
//! schedule; this module answers "when will this trip really leave this stop?".
//!
//! - [`decode`]: bytes to a [`FeedMessage`], with a size cap.
//! - [`Realtime`]: one message indexed by trip, with [`Realtime::predict`] for a scheduled
//!   departure, [`Realtime::added_calls`] for trips the timetable lacks, and
//!   [`Realtime::alerts`] for a stop, its routes and a trip.
//!
//! The types in [`proto`] are generated from the official `gtfs-realtime.proto` (committed, so
//! building needs no `protoc`; see `xtask/protogen`).

#[allow(deprecated, clippy::all, missing_docs, unused_qualifications, rust_2018_idioms)]
pub mod proto;

mod added;
mod alerts;
mod predict;

pub use added::AddedCall;
pub use alerts::{AlertText, Applies};
pub use predict::{Prediction, ScheduledStop, Status};
pub use proto::FeedMessage;

use added::AddedTrip;
use predict::TripUpdates;
use std::collections::HashMap;

/// Why a message was not used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RealtimeError {
    #[error("the message is {size} bytes, over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("not a GTFS Realtime message: {0}")]
    Malformed(String),
}

/// Decodes one feed message, refusing more than `limit` bytes before reading any of it.
pub fn decode(bytes: &[u8], limit: usize) -> Result<FeedMessage, RealtimeError> {
    if bytes.len() > limit {
        return Err(RealtimeError::TooLarge { size: bytes.len(), limit });
    }
    <FeedMessage as prost::Message>::decode(bytes).map_err(|e| RealtimeError::Malformed(e.to_string()))
}

/// One feed message (or several merged: trip updates and alerts often come from separate
/// URLs), indexed for lookups by trip.
#[derive(Debug, Clone, Default)]
pub struct Realtime {
    /// When the producer made the newest message, Unix seconds.
    pub produced_at: Option<i64>,
    trips: HashMap<String, Vec<TripUpdates>>,
    /// Trips the timetable does not have.
    added: Vec<AddedTrip>,
    alerts: Vec<proto::Alert>,
}

impl Realtime {
    /// Adds a message's trip updates and alerts (entities marked deleted are left out).
    pub fn add(&mut self, message: &FeedMessage) {
        let produced_at = message.header.timestamp.map(|t| t as i64);
        self.produced_at = self.produced_at.max(produced_at);
        for entity in message.entity.iter().filter(|e| !e.is_deleted.unwrap_or(false)) {
            if let Some(update) = &entity.trip_update
                && let Some(trip_id) = &update.trip.trip_id
            {
                #[allow(deprecated)]
                let added = matches!(
                    update.trip.schedule_relationship(),
                    proto::trip_descriptor::ScheduleRelationship::Added
                        | proto::trip_descriptor::ScheduleRelationship::New
                );
                if added {
                    self.added.extend(AddedTrip::new(update, produced_at));
                } else {
                    self.trips.entry(trip_id.clone()).or_default().push(TripUpdates::new(update, produced_at));
                }
            }
            if let Some(alert) = &entity.alert {
                self.alerts.push(alert.clone());
            }
        }
    }

    pub fn from_message(message: &FeedMessage) -> Self {
        let mut realtime = Self::default();
        realtime.add(message);
        realtime
    }

    /// How many trips have updates.
    pub fn trips(&self) -> usize {
        self.trips.len()
    }

    /// Whether there is an update for the trip (on any day).
    pub fn has_trip(&self, trip_id: &str) -> bool {
        self.trips.contains_key(trip_id)
    }
}

#[cfg(test)]
mod tests;
