use super::Problem;
use crate::bookmarks::components::{SaveStop, SaveStopData};
use crate::transit::api::load_board;
use crate::transit::components::{AlertList, DepartureList, LiveNote, RouteBadge, StopList, ZoneNote, use_ticking_now};
use crate::transit::model::{Board, StopId};
use crate::ui::format::query_value;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// How often a live board asks for fresh departures while hydrated.
const REFRESH_SECS: u64 = 30;

/// `/stops/{id}`: the departure board, now or at `?at=`.
#[component]
pub fn StopPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || StopId(params.read().get("id").unwrap_or_default());
    let at = move || query.read().get("at").filter(|a| !a.trim().is_empty());
    let found = Resource::new(move || (id(), at()), |(id, at)| load_board(id, at));
    let saving = SaveStopData::load(id);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if at().is_none()
            && let Ok(handle) =
                set_interval_with_handle(move || found.refetch(), std::time::Duration::from_secs(REFRESH_SECS))
        {
            on_cleanup(move || handle.clear());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = REFRESH_SECS;
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading departures…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(board) => view! { <BoardView board live=at().is_none() saving/> }.into_any(),
                    Err(error) => view! { <Title text="Stop not found"/><Problem error what="stop"/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BoardView(board: Board, live: bool, saving: SaveStopData) -> impl IntoView {
    let Board { stop, at_unix, at_local, departures, earlier, later, live: live_data, alerts, .. } = board;
    let here = format!("/stops/{}", stop.stop.id.url_segment());
    let now = use_ticking_now(at_unix);
    let platforms = stop.platforms.len();
    let facts = [
        stop.stop.code.clone().filter(|c| !c.is_empty() && !stop.stop.is_station).map(|c| format!("Stop {c}")),
        stop.stop
            .is_station
            .then(|| format!("Station · {platforms} platform{}", if platforms == 1 { "" } else { "s" })),
        Some(format!("Feed {}", stop.feed)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let heading =
        if live { "Next departures".to_string() } else { format!("Departures from {}", at_local.replace('T', " ")) };
    let empty = departures.is_empty();
    view! {
        <Title text=stop.stop.name.clone()/>
        <section class="card board" data-testid="board">
            <header class="board-head">
                <h1>{stop.stop.name.clone()}</h1>
                <p class="stop-facts">{facts}</p>
                <div class="route-badges">
                    {stop.routes.iter().cloned().map(|route| view! { <RouteBadge route link=true/> }).collect_view()}
                </div>
            </header>
            <SaveStop data=saving stop=stop.stop.id.clone() routes=stop.routes.clone()/>
            <ZoneNote zone=stop.timezone.clone()/>
            <AlertList alerts/>
            <h2>{heading}</h2>
            <LiveNote live=live_data/>
            {if empty {
                view! { <p class="empty">"No departures from here in the next day and a half."</p> }.into_any()
            } else {
                view! { <DepartureList departures now=live.then_some(now)/> }.into_any()
            }}
            <nav class="board-nav" aria-label="Other times">
                <a href=format!("{here}?at={}", query_value(&earlier)) rel="nofollow">"← Earlier"</a>
                <a href=here.clone()>"Now"</a>
                <a href=format!("{here}?at={}", query_value(&later)) rel="nofollow">"Later →"</a>
            </nav>
            <form method="get" action=here class="moment-form">
                <label for="board-at">"Leave at"</label>
                <input id="board-at" type="datetime-local" name="at" value=at_local required/>
                <button type="submit" class="secondary">"Show"</button>
            </form>
        </section>
        {(!stop.platforms.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Platforms"</h2>
                <StopList stops=stop.platforms.clone()/>
            </section>
        })}
    }
}
