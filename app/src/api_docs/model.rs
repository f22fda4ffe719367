//! The API reference as the page shows it: operations grouped by tag, then the schemas.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiReference {
    /// Where `/api/openapi.json` is: on the API's origin, which is another one when split.
    pub document_url: String,
    pub title: String,
    pub version: String,
    /// Paragraphs (Markdown-ish; shown as text).
    pub description: Vec<String>,
    pub sections: Vec<Section>,
    pub schemas: Vec<SchemaDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub tag: String,
    pub description: String,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// `GET`, `POST`…
    pub method: String,
    pub path: String,
    pub summary: String,
    pub signed_in: bool,
    pub params: Vec<Field>,
    /// The request body's schema name.
    pub body: Option<String>,
    pub responses: Vec<Answer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub status: String,
    pub description: String,
    /// The body's schema name.
    pub body: Option<String>,
}

/// A parameter or a schema property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    /// `path`, `query`, or empty for a property.
    pub location: String,
    /// `string`, `integer (0–60)`, `StopSummary[]`…
    pub kind: String,
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
    /// For enums and plain values: what it is (`one of tram, metro…`, `string`).
    pub kind: String,
}
