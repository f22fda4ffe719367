//! `/docs/api`: the REST API reference. Server-rendered, and complete without JavaScript.

use crate::api_docs::api::load_api_reference;
use crate::api_docs::model::{Answer, ApiReference, Field, Operation, SchemaDoc};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let reference = Resource::new(|| (), |()| load_api_reference());
    view! {
        <Title text="API reference"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading the reference…"</p> }>
            {move || Suspend::new(async move {
                match reference.await {
                    Ok(reference) => view! { <Reference reference/> }.into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Text with `code` spans, as the document writes them.
fn rich(text: String) -> impl IntoView {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.to_string();
            if i % 2 == 1 { view! { <code>{part}</code> }.into_any() } else { part.into_any() }
        })
        .collect_view()
}

/// A link to a schema's entry below, for a type that names one (`Group`, `Group[]`).
fn type_link(kind: String) -> impl IntoView {
    let name = kind.trim_end_matches("[]").to_string();
    let is_schema = name.chars().next().is_some_and(char::is_uppercase) && !name.contains(' ');
    if is_schema {
        view! { <a href=format!("#schema-{name}")><code>{kind}</code></a> }.into_any()
    } else {
        view! { <code>{kind}</code> }.into_any()
    }
}

#[component]
fn Reference(reference: ApiReference) -> impl IntoView {
    let ApiReference { document_url, title, version, description, sections, schemas } = reference;
    let document_href = document_url.clone();
    view! {
        <section class="card api-docs">
            <h1>{title}" " <span class="hint">{version}</span></h1>
            {description.into_iter().map(|p| view! { <p>{rich(p)}</p> }).collect_view()}
            <p>
                "The machine-readable document: " <a href=document_href rel="external"><code>{document_url}</code></a>
                " (OpenAPI 3.1)."
            </p>
            <nav class="api-toc" aria-label="Sections">
                {sections.iter().map(|s| view! { <a href=format!("#tag-{}", s.tag)>{s.tag.clone()}</a> }).collect_view()}
                <a href="#schemas">"schemas"</a>
            </nav>
        </section>
        {sections.into_iter().map(|section| {
            let id = format!("tag-{}", section.tag);
            view! {
                <section class="card api-docs" id=id>
                    <h2>{section.tag}</h2>
                    <p class="hint">{section.description}</p>
                    {section.operations.into_iter().map(|op| view! { <OperationView op/> }).collect_view()}
                </section>
            }
            .into_any()
        }).collect_view()}
        <section class="card api-docs" id="schemas">
            <h2>"Schemas"</h2>
            {schemas.into_iter().map(|schema| view! { <SchemaView schema/> }).collect_view()}
        </section>
    }
}

#[component]
fn OperationView(op: Operation) -> impl IntoView {
    let Operation { method, path, summary, signed_in, params, body, responses } = op;
    let id = format!("{method}-{path}").to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let method_class = format!("api-method api-method-{}", method.to_lowercase());
    view! {
        <article class="api-op" id=id data-testid="api-op">
            <h3>
                <span class=method_class>{method}</span>" "<code class="api-path">{path}</code>
                {signed_in.then(|| view! { " " <span class="api-badge">"signed in"</span> })}
            </h3>
            <p>{rich(summary)}</p>
            {(!params.is_empty()).then(|| view! { <h4>"Parameters"</h4> <FieldList fields=params/> })}
            {body.map(|body| view! { <h4>"Body"</h4> <p>{type_link(body)}" as JSON"</p> })}
            <h4>"Answers"</h4>
            <ul class="api-answers">
                {responses.into_iter().map(|Answer { status, description, body }| view! {
                    <li>
                        <strong>{status}</strong>" "
                        {body.map(|b| view! { {type_link(b)}" " })}
                        <span class="hint">{rich(description)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </article>
    }
    .into_any()
}

#[component]
fn FieldList(fields: Vec<Field>) -> impl IntoView {
    view! {
        <dl class="api-fields">
            {fields.into_iter().map(|f| view! {
                <dt>
                    <code>{f.name}</code>
                    {(!f.location.is_empty()).then(|| view! { " " <span class="hint">"in " {f.location}</span> })}
                    {f.required.then(|| view! { " " <span class="api-badge">"required"</span> })}
                </dt>
                <dd>{type_link(f.kind)}" " <span class="hint">{rich(f.description)}</span></dd>
            }).collect_view()}
        </dl>
    }
    .into_any()
}

#[component]
fn SchemaView(schema: SchemaDoc) -> impl IntoView {
    let SchemaDoc { name, description, fields, kind } = schema;
    let id = format!("schema-{name}");
    view! {
        <article class="api-schema" id=id>
            <h3><code>{name}</code></h3>
            {(!description.is_empty()).then(|| view! { <p class="hint">{rich(description)}</p> })}
            {(!kind.is_empty()).then(|| view! { <p>{kind}</p> })}
            {(!fields.is_empty()).then(|| view! { <FieldList fields/> })}
        </article>
    }
    .into_any()
}
