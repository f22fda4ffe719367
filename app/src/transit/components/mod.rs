//! Transit's building blocks for pages: search, route badges, departure lists with their live
//! status, the ticking clock, the time-zone note and "near me".

mod departure_list;
mod live_status;
mod near_me;
mod route_badge;
mod search_form;
mod stop_list;
mod zone_note;

pub use departure_list::{DepartureList, minutes_until, use_ticking_now};
pub use live_status::{AlertList, LiveNote, live_note, predicted_time, status_label};
pub use near_me::NearMe;
pub use route_badge::{RouteBadge, route_title};
pub use search_form::SearchForm;
pub use stop_list::StopList;
pub use zone_note::ZoneNote;
