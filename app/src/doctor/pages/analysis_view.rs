use crate::doctor::model::{Analysis, Status};
use leptos::prelude::*;

fn status_class(status: Status) -> String {
    format!("status status-{}", status.label())
}

/// The verdict, section by section.
#[component]
pub fn AnalysisView(analysis: Analysis) -> impl IntoView {
    let Analysis {
        page_origin,
        api_origin,
        relation,
        relation_why,
        cookie_names,
        attributes,
        browsers,
        cors,
        csrf,
        warnings,
        refusal,
        sources,
    } = analysis;
    let list =
        |lines: Vec<String>| view! { <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> };
    view! {
        <div class="doctor-result" data-testid="doctor-result">
            <h2>"Pages on " <code>{page_origin}</code> ", API on " <code>{api_origin}</code></h2>
            <p>
                <strong data-testid="doctor-relation">{relation.label()}</strong>": " {relation_why} "."
            </p>
            {refusal.map(|r| view! {
                <div class="form-error" role="alert" data-testid="doctor-refusal"><strong>"This cannot work. "</strong>{r}</div>
            })}
            {(!warnings.is_empty()).then(|| view! { <div class="doctor-warnings">{list(warnings)}</div> })}
            {(!attributes.is_empty()).then(|| view! {
                <h3>"The session cookies: " {cookie_names.join(" and ")}</h3>
                <dl class="details doctor-attributes">
                    {attributes.into_iter().map(|a| view! {
                        <dt>{a.name}</dt>
                        <dd><code>{a.value}</code><span class="hint">{a.reason}</span></dd>
                    }).collect_view()}
                </dl>
            })}
            <h3>"What browsers do with it today"</h3>
            <ul class="doctor-browsers">
                {browsers.into_iter().map(|b| {
                    let engine_id = b.engine.to_lowercase();
                    view! {
                    <li data-engine=engine_id>
                        <span class=status_class(b.status)>{b.status.label()}</span>
                        <strong>{b.engine}</strong>": " {b.verdict}
                    </li>
                }}).collect_view()}
            </ul>
            {(!cors.is_empty()).then(|| view! { <h3>"CORS"</h3> {list(cors)} })}
            {(!csrf.is_empty()).then(|| view! { <h3>"CSRF"</h3> {list(csrf)} })}
            <details class="hint"><summary>"Sources"</summary>{list(sources)}</details>
        </div>
    }
}
