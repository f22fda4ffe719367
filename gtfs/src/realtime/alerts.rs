//! Service alerts for what a page shows: a stop, the routes there, a trip.

use super::Realtime;
use super::proto::{Alert, EntitySelector, TranslatedString};

/// What the alerts are wanted for. An alert applies when one of its selectors matches: every
/// field a selector sets must match (the specification's rule).
#[derive(Debug, Clone, Copy, Default)]
pub struct Applies<'a> {
    /// The stop, and its station if it is a platform.
    pub stop_ids: &'a [&'a str],
    pub route_ids: &'a [&'a str],
    pub trip_ids: &'a [&'a str],
}

/// An alert, in the language asked for when the feed has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertText {
    pub header: String,
    pub description: Option<String>,
    pub url: Option<String>,
}

impl Realtime {
    /// The alerts active at `now` that apply, in `language` (a BCP 47 tag such as `en` or
    /// `fr-CA`) when the feed has it, else in the feed's default text.
    pub fn alerts(&self, applies: &Applies<'_>, now: i64, language: &str) -> Vec<AlertText> {
        self.alerts
            .iter()
            .filter(|alert| is_active(alert, now) && alert.informed_entity.iter().any(|s| matches(s, applies)))
            .filter_map(|alert| {
                Some(AlertText {
                    header: translate(alert.header_text.as_ref(), language)
                        .or_else(|| translate(alert.description_text.as_ref(), language))?,
                    description: translate(alert.description_text.as_ref(), language),
                    url: translate(alert.url.as_ref(), language),
                })
            })
            .collect()
    }
}

fn is_active(alert: &Alert, now: i64) -> bool {
    alert.active_period.is_empty()
        || alert.active_period.iter().any(|period| {
            period.start.is_none_or(|start| start as i64 <= now) && period.end.is_none_or(|end| now < end as i64)
        })
}

fn matches(selector: &EntitySelector, applies: &Applies<'_>) -> bool {
    let trip_id = selector.trip.as_ref().and_then(|t| t.trip_id.as_deref());
    let stop = selector.stop_id.as_deref().map(|id| applies.stop_ids.contains(&id));
    let route = selector.route_id.as_deref().map(|id| applies.route_ids.contains(&id));
    let trip = trip_id.map(|id| applies.trip_ids.contains(&id));
    let named = [stop, route, trip].into_iter().flatten().collect::<Vec<_>>();
    // A selector naming only an agency covers all of it (each feed is one agency's or one
    // city's); one naming only a route type or a direction is too vague to place here.
    match named.is_empty() {
        true => selector.agency_id.is_some() && selector.route_type.is_none(),
        false => named.into_iter().all(|hit| hit),
    }
}

/// The translation in `language` (exactly, or its primary subtag: `fr` for `fr-CA`), else the
/// untagged one, else the first.
fn translate(text: Option<&TranslatedString>, language: &str) -> Option<String> {
    let translations = &text?.translation;
    let primary = |tag: &str| tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
    translations
        .iter()
        .find(|t| t.language.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(language)))
        .or_else(|| {
            translations.iter().find(|t| t.language.as_deref().is_some_and(|l| primary(l) == primary(language)))
        })
        .or_else(|| translations.iter().find(|t| t.language.is_none()))
        .or_else(|| translations.first())
        .map(|t| t.text.clone())
}
