//! The reference read out of the OpenAPI document. The server builds the document from its REST
//! handlers and puts it in every request's context as a [`Document`].

use crate::api_docs::model::{Answer, ApiReference, Field, Operation, SchemaDoc, Section};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// The OpenAPI document as served, with the reference drawn from it on first use.
#[derive(Clone)]
pub struct Document(Arc<DocumentInner>);

struct DocumentInner {
    openapi: &'static Value,
    url: String,
    reference: OnceLock<ApiReference>,
}

impl Document {
    /// `openapi`, served at `url` (on the API's origin, which is another one when split).
    pub fn new(openapi: &'static Value, url: String) -> Self {
        Self(Arc::new(DocumentInner { openapi, url, reference: OnceLock::new() }))
    }

    pub fn reference(&self) -> &ApiReference {
        let inner = &self.0;
        inner.reference.get_or_init(|| reference(inner.openapi, inner.url.clone()))
    }
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

pub fn reference(doc: &Value, document_url: String) -> ApiReference {
    let info = &doc["info"];
    let mut sections: Vec<Section> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|tag| Section { tag: text(&tag["name"]), description: text(&tag["description"]), operations: vec![] })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            let op = &item[method];
            if !op.is_object() {
                continue;
            }
            let tag = op["tags"][0].as_str().unwrap_or("other");
            let index = match sections.iter().position(|s| s.tag == tag) {
                Some(index) => index,
                None => {
                    sections.push(Section { tag: tag.into(), description: String::new(), operations: vec![] });
                    sections.len() - 1
                }
            };
            sections[index].operations.push(operation(method, path, op));
        }
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| schema_doc(name, schema))
        .collect();
    ApiReference {
        document_url,
        title: text(&info["title"]),
        version: text(&info["version"]),
        description: text(&info["description"]).split("\n\n").map(str::to_string).collect(),
        sections,
        schemas,
    }
}

fn operation(method: &str, path: &str, op: &Value) -> Operation {
    let params = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| Field {
            name: text(&p["name"]),
            location: text(&p["in"]),
            kind: kind(&p["schema"]),
            required: p["required"].as_bool().unwrap_or(false),
            description: text(&p["description"]),
        })
        .collect();
    let responses = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, answer)| Answer {
            status: status.clone(),
            description: text(&answer["description"]),
            body: json_schema(answer).map(kind),
        })
        .collect();
    Operation {
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: [&op["summary"], &op["description"]].into_iter().map(text).find(|s| !s.is_empty()).unwrap_or_default(),
        signed_in: op["security"].as_array().is_some_and(|s| !s.is_empty()),
        params,
        body: json_schema(&op["requestBody"]).map(kind),
        responses,
    }
}

fn json_schema(holder: &Value) -> Option<&Value> {
    holder["content"]["application/json"].get("schema")
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema["$ref"].as_str().and_then(|r| r.rsplit('/').next())
}

/// A short, readable type: `string`, `integer (0–60)`, `Group[]`, `StopId or null`.
fn kind(schema: &Value) -> String {
    if let Some(name) = ref_name(schema) {
        return name.to_string();
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return options.iter().map(kind).collect::<Vec<_>>().join(" or ");
    }
    if let Some(values) = schema["enum"].as_array() {
        return format!("one of {}", values.iter().map(|v| v.as_str().unwrap_or("?")).collect::<Vec<_>>().join(", "));
    }
    let types: Vec<String> = match &schema["type"] {
        Value::String(t) => vec![t.clone()],
        Value::Array(ts) => ts.iter().map(text).collect(),
        _ => vec![],
    };
    let mut parts: Vec<String> = types
        .iter()
        .map(|t| match t.as_str() {
            "array" => format!("{}[]", kind(&schema["items"])),
            "object" if schema["additionalProperties"].is_object() => {
                format!("map of {}", kind(&schema["additionalProperties"]))
            }
            other => other.to_string(),
        })
        .collect();
    if parts.is_empty() {
        parts.push("any".into());
    }
    let mut out = parts.join(" or ");
    let number = |key: &str| schema[key].as_f64().map(|n| n.to_string());
    let bounds = match (number("minimum").or(number("minLength")), number("maximum").or(number("maxLength"))) {
        (Some(lo), Some(hi)) => Some(format!("{lo}–{hi}")),
        (Some(lo), None) => Some(format!("≥ {lo}")),
        (None, Some(hi)) => Some(format!("≤ {hi}")),
        (None, None) => number("exclusiveMinimum").map(|lo| format!("> {lo}")),
    };
    if let Some(bounds) = bounds {
        let unit =
            if schema.get("minLength").is_some() || schema.get("maxLength").is_some() { " characters" } else { "" };
        out.push_str(&format!(" ({bounds}{unit})"));
    }
    if let Some(format) = schema["format"].as_str().filter(|f| !f.starts_with("int") && *f != "double") {
        out.push_str(&format!(", {format}"));
    }
    out
}

fn schema_doc(name: &str, schema: &Value) -> SchemaDoc {
    let mut fields = vec![];
    let mut kinds = vec![];
    let parts: Vec<&Value> = match schema["allOf"].as_array() {
        Some(parts) => parts.iter().collect(),
        None => vec![schema],
    };
    for part in parts {
        if let Some(base) = ref_name(part) {
            kinds.push(format!("every property of {base}, and"));
            continue;
        }
        let required: Vec<&str> = part["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        for (field, property) in part["properties"].as_object().into_iter().flatten() {
            fields.push(Field {
                name: field.clone(),
                location: String::new(),
                kind: kind(property),
                required: required.contains(&field.as_str()),
                description: text(&property["description"])
                    + &property["oneOf"][0]["description"].as_str().map(|d| d.to_string()).unwrap_or_default(),
            });
        }
        if part["properties"].is_null() {
            kinds.push(kind(part));
        }
    }
    SchemaDoc { name: name.to_string(), description: text(&schema["description"]), fields, kind: kinds.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_read_as_people_write_them() {
        assert_eq!(kind(&json!({"$ref": "#/components/schemas/Group"})), "Group");
        assert_eq!(kind(&json!({"type": "array", "items": {"$ref": "#/components/schemas/Stop"}})), "Stop[]");
        assert_eq!(
            kind(&json!({"type": ["integer", "null"], "format": "int64", "minimum": 0, "maximum": 60})),
            "integer or null (0–60)"
        );
        assert_eq!(kind(&json!({"type": "string", "minLength": 1, "maxLength": 40})), "string (1–40 characters)");
        assert_eq!(
            kind(&json!({"oneOf": [{"$ref": "#/components/schemas/StopId"}, {"type": "null"}]})),
            "StopId or null"
        );
        assert_eq!(kind(&json!({"type": "string", "enum": ["bus", "tram"]})), "one of bus, tram");
    }

    #[test]
    fn operations_are_grouped_by_tag_with_their_answers() {
        let doc = json!({
            "info": {"title": "T", "version": "1", "description": "One.\n\nTwo."},
            "tags": [{"name": "a", "description": "The a's."}],
            "paths": {"/x/{id}": {"get": {"tags": ["a"], "summary": "Get x.", "security": [{"session": []}],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}},
                              "404": {"description": "Gone."}}}}},
            "components": {"schemas": {"X": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}
        });
        let r = reference(&doc, "/api/openapi.json".into());
        assert_eq!(r.description, ["One.", "Two."]);
        let op = &r.sections[0].operations[0];
        assert_eq!((op.method.as_str(), op.path.as_str(), op.signed_in), ("GET", "/x/{id}", true));
        assert_eq!(op.params[0].kind, "integer");
        assert_eq!(op.responses[0].body.as_deref(), Some("X"));
        assert_eq!(op.responses[1].body, None);
        assert!(r.schemas[0].fields[0].required);
    }
}
