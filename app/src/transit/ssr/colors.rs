//! Route badge colours. Feeds give them per route; the pages use one CSS class per colour
//! pair, served as a stylesheet, so the Content-Security-Policy needs no inline styles.

use crate::error::AppError;
use crate::ssr::db::Db;

/// A route's badge colours as `#RRGGBB`. Feeds often leave them out, and GTFS's own default
/// (black on white) reads badly as a badge, so absent colours get a neutral slate.
pub fn badge_colors(color: Option<&str>, text_color: Option<&str>) -> (String, String) {
    let hex = |c: &str| c.len() == 6 && c.bytes().all(|b| b.is_ascii_hexdigit());
    let color = color.filter(|c| hex(c));
    let text = text_color.filter(|c| hex(c));
    match (color, text) {
        (Some(c), Some(t)) => (format!("#{c}"), format!("#{t}")),
        (Some(c), None) => (format!("#{c}"), "#000000".into()),
        (None, _) => ("#4B5563".into(), "#FFFFFF".into()),
    }
}

/// One CSS rule per badge colour pair of the active feeds, for `RouteBadge`'s classes. Route
/// colours come from the feeds, and an inline `style` attribute would need the page's
/// Content-Security-Policy to allow inline styles: a stylesheet keeps it strict.
pub async fn route_colors_css(db: &Db) -> Result<String, AppError> {
    let pairs: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT DISTINCT color, text_color FROM routes WHERE version IN (SELECT active_version FROM feeds)",
    )
    .fetch_all(db)
    .await?;
    let rules: std::collections::BTreeSet<String> = pairs
        .iter()
        .map(|(c, t)| badge_colors(c.as_deref(), t.as_deref()))
        .chain([badge_colors(None, None)])
        .map(|(c, t)| format!(".{}{{background:{c};color:{t}}}", crate::transit::model::badge_class(&c, &t)))
        .collect();
    Ok(rules.into_iter().collect::<Vec<_>>().join("\n"))
}
