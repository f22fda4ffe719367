//! How the MyBM dashboard travels to its own page: as the hydration data inside the HTML and
//! as each 30 s refresh. The REST API's [`MyBm`] repeats every departure's route in full and
//! carries trip ids, service dates and platforms the page does not show. Here the routes go once
//! per page and those fields not at all, which halves what the server serializes and escapes into
//! the page and what the browser parses. The page's copy therefore lacks them: trip ids and
//! service dates are empty, departures carry no platform, headway or alerts of their own (the
//! row's alerts are kept).

use crate::bookmarks::model::{Bookmark, GroupId, Leave, MyBm, MyBmBookmark, MyBmGroup};
use crate::transit::model::{Departure, DepartureStatus, Live, RouteSummary, ServiceAlert};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::ops::{Deref, DerefMut};

/// The dashboard as its page has it.
#[derive(Debug, Clone, PartialEq)]
pub struct MyBmPage(pub MyBm);

impl Deref for MyBmPage {
    type Target = MyBm;
    fn deref(&self) -> &MyBm {
        &self.0
    }
}

impl DerefMut for MyBmPage {
    fn deref_mut(&mut self) -> &mut MyBm {
        &mut self.0
    }
}

/// One shape for both directions: borrowed when sent, owned when received.
#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    at_unix: i64,
    routes: Vec<Cow<'a, RouteSummary>>,
    groups: Vec<WireGroup<'a>>,
}

#[derive(Serialize, Deserialize)]
struct WireGroup<'a> {
    id: GroupId,
    name: Cow<'a, str>,
    position: u32,
    bookmarks: Vec<WireBookmark<'a>>,
}

#[derive(Serialize, Deserialize)]
struct WireBookmark<'a> {
    bookmark: Cow<'a, Bookmark>,
    timezone: Option<Cow<'a, str>>,
    live: Cow<'a, Live>,
    alerts: Cow<'a, [ServiceAlert]>,
    departures: Vec<WireLeave<'a>>,
}

/// A departure with its route as an index into [`Wire::routes`].
#[derive(Serialize, Deserialize)]
struct WireLeave<'a> {
    route: usize,
    leave_at_unix: i64,
    scheduled_at: Cow<'a, str>,
    unix: i64,
    local_time: Cow<'a, str>,
    headsign: Option<Cow<'a, str>>,
    exact: bool,
    #[serde(default)]
    status: DepartureStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    predicted_at: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delay_s: Option<i64>,
}

impl Serialize for MyBmPage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut routes = RouteTable(vec![]);
        let groups = self
            .groups
            .iter()
            .map(|g| WireGroup {
                id: g.id,
                name: Cow::Borrowed(&g.name),
                position: g.position,
                bookmarks: g
                    .bookmarks
                    .iter()
                    .map(|b| WireBookmark {
                        bookmark: Cow::Borrowed(&b.bookmark),
                        timezone: b.timezone.as_deref().map(Cow::Borrowed),
                        live: Cow::Borrowed(&b.live),
                        alerts: Cow::Borrowed(&b.alerts),
                        departures: b.departures.iter().map(|l| wire_leave(l, &mut routes)).collect(),
                    })
                    .collect(),
            })
            .collect();
        Wire { at_unix: self.at_unix, routes: routes.0, groups }.serialize(serializer)
    }
}

/// The page's routes, each once, borrowed from the departures.
struct RouteTable<'a>(Vec<Cow<'a, RouteSummary>>);

impl<'a> RouteTable<'a> {
    /// Where `route` is in the table, adding it if it is new.
    fn index(&mut self, route: &'a RouteSummary) -> usize {
        match self.0.iter().position(|r| r.id == route.id) {
            Some(i) => i,
            None => {
                self.0.push(Cow::Borrowed(route));
                self.0.len() - 1
            }
        }
    }
}

fn wire_leave<'a>(leave: &'a Leave, routes: &mut RouteTable<'a>) -> WireLeave<'a> {
    let d = &leave.departure;
    WireLeave {
        route: routes.index(&d.route),
        leave_at_unix: leave.leave_at_unix,
        scheduled_at: Cow::Borrowed(&d.scheduled_at),
        unix: d.unix,
        local_time: Cow::Borrowed(&d.local_time),
        headsign: d.headsign.as_deref().map(Cow::Borrowed),
        exact: d.exact,
        status: d.status,
        predicted_at: d.predicted_at.as_deref().map(Cow::Borrowed),
        delay_s: d.delay_s,
    }
}

impl<'de> Deserialize<'de> for MyBmPage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        let routes: Vec<RouteSummary> = wire.routes.into_iter().map(Cow::into_owned).collect();
        let mut groups = Vec::with_capacity(wire.groups.len());
        for g in wire.groups {
            let mut bookmarks = Vec::with_capacity(g.bookmarks.len());
            for b in g.bookmarks {
                let bookmark = b.bookmark.into_owned();
                let departures = b
                    .departures
                    .into_iter()
                    .map(|l| {
                        let route = routes.get(l.route).cloned().ok_or_else(|| {
                            serde::de::Error::custom(format!("departure names route {} of {}", l.route, routes.len()))
                        })?;
                        Ok(Leave { leave_at_unix: l.leave_at_unix, departure: departure(l, route, &bookmark) })
                    })
                    .collect::<Result<_, D::Error>>()?;
                bookmarks.push(MyBmBookmark {
                    timezone: b.timezone.map(Cow::into_owned),
                    live: b.live.into_owned(),
                    alerts: b.alerts.into_owned(),
                    departures,
                    bookmark,
                });
            }
            groups.push(MyBmGroup { id: g.id, name: g.name.into_owned(), position: g.position, bookmarks });
        }
        Ok(MyBmPage(MyBm { at_unix: wire.at_unix, groups }))
    }
}

/// The departure as the page knows it (see the module's note on what it lacks).
fn departure(l: WireLeave<'_>, route: RouteSummary, bookmark: &Bookmark) -> Departure {
    Departure {
        scheduled_at: l.scheduled_at.into_owned(),
        unix: l.unix,
        local_time: l.local_time.into_owned(),
        service_date: String::new(),
        route,
        headsign: l.headsign.map(Cow::into_owned),
        trip_id: String::new(),
        stop_id: bookmark.stop_id.clone(),
        platform: None,
        exact: l.exact,
        headway_secs: None,
        status: l.status,
        predicted_at: l.predicted_at.map(Cow::into_owned),
        delay_s: l.delay_s,
        prediction_made_at: None,
        alerts: vec![],
        stop_sequence: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookmarks::model::{BookmarkId, BookmarkRoute};
    use crate::transit::model::{LiveState, RouteId, RouteKind, StopId};

    fn route(id: &str) -> RouteSummary {
        RouteSummary {
            id: RouteId(format!("bk:{id}")),
            short_name: Some(id.into()),
            long_name: Some("Kings Plaza".into()),
            route_type: 3,
            kind: RouteKind::Bus,
            color: "#006CB7".into(),
            text_color: "#FFFFFF".into(),
            agency: Some("MTA".into()),
        }
    }

    /// A departure holding only what the page keeps, so that it survives the trip unchanged.
    fn leave(route_id: &str, stop: &str, at: i64) -> Leave {
        let departure = Departure {
            scheduled_at: "2026-10-06T08:10:00-04:00".into(),
            unix: at,
            local_time: "08:10".into(),
            service_date: String::new(),
            route: route(route_id),
            headsign: Some("Downtown".into()),
            trip_id: String::new(),
            stop_id: StopId(stop.into()),
            platform: None,
            exact: true,
            headway_secs: None,
            status: DepartureStatus::Late,
            predicted_at: Some("2026-10-06T08:13:00-04:00".into()),
            delay_s: Some(180),
            prediction_made_at: None,
            alerts: vec![],
            stop_sequence: 0,
        };
        Leave { leave_at_unix: at - 300, departure }
    }

    fn bookmark(id: i64, stop: &str, departures: Vec<Leave>) -> MyBmBookmark {
        let bookmark = Bookmark {
            id: BookmarkId(id),
            group_id: GroupId(1),
            stop_id: StopId(stop.into()),
            stop_name: "Remsen St".into(),
            in_feed: true,
            routes: vec![BookmarkRoute { id: RouteId("bk:B41".into()), name: "B41".into(), in_feed: true }],
            walk_minutes: 5,
            position: id as u32,
        };
        let live = Live { state: LiveState::Live, updated_at: Some("2026-10-06T08:09:00-04:00".into()) };
        let alerts = vec![ServiceAlert { header: "Detour".into(), description: None, url: None }];
        MyBmBookmark { bookmark, timezone: Some("America/New_York".into()), departures, live, alerts }
    }

    fn board() -> MyBm {
        let first = vec![leave("B41", "bk:1", 100), leave("B67", "bk:1", 200), leave("B41", "bk:1", 300)];
        let bookmarks = vec![bookmark(1, "bk:1", first), bookmark(2, "bk:2", vec![leave("B41", "bk:2", 400)])];
        let group = MyBmGroup { id: GroupId(1), name: "Home".into(), position: 0, bookmarks };
        MyBm { at_unix: 50, groups: vec![group] }
    }

    #[test]
    fn what_the_page_shows_survives_the_trip_and_each_route_goes_once() {
        let json = serde_json::to_string(&MyBmPage(board())).unwrap();
        assert_eq!(json.matches("Kings Plaza").count(), 2, "B41 and B67, once each: {json}");
        let back: MyBmPage = serde_json::from_str(&json).unwrap();
        assert_eq!(back.0, board());
    }

    #[test]
    fn it_drops_what_the_page_does_not_show_and_is_shorter_than_the_rest_shape() {
        let mut rest = board();
        for leave in rest.groups[0].bookmarks.iter_mut().flat_map(|b| &mut b.departures) {
            leave.departure.trip_id = "FB_D6-Weekday-SDon-041200_B41_228".into();
            leave.departure.service_date = "2026-10-06".into();
        }
        let page = serde_json::to_string(&MyBmPage(rest.clone())).unwrap();
        assert!(!page.contains("FB_D6") && !page.contains("service_date"), "{page}");
        let full = serde_json::to_string(&rest).unwrap();
        assert!(page.len() < full.len(), "page {} bytes, REST {}", page.len(), full.len());
    }

    #[test]
    fn a_departure_naming_a_route_that_is_not_there_is_refused() {
        let json = serde_json::to_string(&MyBmPage(board())).unwrap().replace(r#""route":1"#, r#""route":9"#);
        let error = serde_json::from_str::<MyBmPage>(&json).unwrap_err().to_string();
        assert!(error.contains("departure names route 9 of 2"), "{error}");
    }
}
