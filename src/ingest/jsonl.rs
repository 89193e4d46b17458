//! JSON records (one a line, or a whole-file array) to record hints: the usual field names of
//! news datasets and crawlers are understood, and the user can map others.

use crate::error::InputError;
use crate::model::{BodyKind, MetaSource, RecordHints};
use serde::Deserialize;
use serde_json::Value;

/// Which record fields hold which value. Each list is tried in order; a name may be a dotted
/// path into nested objects (`meta.title`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FieldMap {
    pub text: Vec<String>,
    pub title: Vec<String>,
    pub url: Vec<String>,
    pub date: Vec<String>,
    pub outlet: Vec<String>,
    pub id: Vec<String>,
    pub author: Vec<String>,
    pub language: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            text: names(&[
                "text",
                "content",
                "body",
                "maintext",
                "article",
                "full_text",
                "html",
            ]),
            title: names(&["title", "headline"]),
            url: names(&["url", "link", "canonical_url", "source_url"]),
            date: names(&[
                "date",
                "published",
                "date_publish",
                "publish_date",
                "published_at",
                "pubdate",
                "datePublished",
                "date_published",
            ]),
            outlet: names(&[
                "source",
                "outlet",
                "site",
                "domain",
                "source_domain",
                "publisher",
                "site_name",
            ]),
            id: names(&["id", "_id", "uuid", "doc_id", "article_id"]),
            author: names(&["author", "authors", "byline", "creator"]),
            language: names(&["language", "lang"]),
        }
    }
}

impl FieldMap {
    /// Apply a user mapping `text=maintext`: the named field is tried first.
    pub fn map(&mut self, spec: &str) -> Result<(), String> {
        let (key, field) = spec
            .split_once('=')
            .ok_or_else(|| format!("--field wants KEY=NAME, got {spec:?}"))?;
        let list = match key.trim() {
            "text" => &mut self.text,
            "title" => &mut self.title,
            "url" => &mut self.url,
            "date" => &mut self.date,
            "outlet" => &mut self.outlet,
            "id" => &mut self.id,
            "author" => &mut self.author,
            "language" => &mut self.language,
            other => {
                return Err(format!(
                    "--field: unknown key {other:?} (known: text, title, url, date, outlet, id, author, language)"
                ))
            }
        };
        list.insert(0, field.trim().to_string());
        Ok(())
    }
}

pub(crate) fn lookup<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(record, |v, key| v.get(key))
}

/// A field's value as text: strings as they are, numbers printed, arrays of names joined,
/// objects by their `name`.
pub(crate) fn as_text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .filter_map(as_text)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(o) => return o.get("name").and_then(as_text),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// The first of the candidate fields (dotted paths) that holds text.
pub(crate) fn first(record: &Value, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .find_map(|k| lookup(record, k).and_then(as_text))
}

/// The record's body from the first of the text fields that holds some; a body given as a
/// list of paragraphs keeps them apart.
pub(crate) fn body(record: &Value, names: &[String]) -> Option<String> {
    names.iter().find_map(|k| match lookup(record, k)? {
        Value::Array(items) => {
            let paragraphs: Vec<String> = items.iter().filter_map(as_text).collect();
            (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
        }
        other => as_text(other),
    })
}

/// Read one JSON record into hints, with its body.
pub fn read_record(bytes: &[u8], fields: &FieldMap) -> Result<RecordHints, InputError> {
    let record: Value =
        serde_json::from_slice(bytes).map_err(|e| InputError::Json(e.to_string()))?;
    if !record.is_object() {
        return Err(InputError::Json("record is not a JSON object".into()));
    }
    let body = body(&record, &fields.text).ok_or_else(|| InputError::NoTextField {
        looked_for: fields.text.join("|"),
    })?;
    let body_kind = if crate::ingest::sniff::looks_like_html(&body) {
        BodyKind::Html
    } else {
        BodyKind::TextLike
    };
    Ok(RecordHints {
        external_id: first(&record, &fields.id),
        title: first(&record, &fields.title),
        url: first(&record, &fields.url),
        date: first(&record, &fields.date),
        outlet: first(&record, &fields.outlet),
        author: first(&record, &fields.author),
        language: first(&record, &fields.language),
        origin: Some(MetaSource::Record),
        body: Some(body),
        body_kind: Some(body_kind),
        crawled: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_names_and_user_mapping() {
        let line = br#"{"_id": 7, "headline": "H", "maintext": "Body text.", "authors": ["A", "B"], "meta": {"site": "S"}}"#;
        let hints = read_record(line, &FieldMap::default()).unwrap();
        assert_eq!(hints.external_id.as_deref(), Some("7"));
        assert_eq!(hints.title.as_deref(), Some("H"));
        assert_eq!(hints.author.as_deref(), Some("A, B"));
        assert_eq!(hints.outlet, None);
        let mut map = FieldMap::default();
        map.map("outlet=meta.site").unwrap();
        assert_eq!(
            read_record(line, &map).unwrap().outlet.as_deref(),
            Some("S")
        );
        assert!(map.map("nonsense").is_err());
    }

    #[test]
    fn text_arrays_are_paragraphs() {
        let hints = read_record(br#"{"text": ["One.", "Two."]}"#, &FieldMap::default()).unwrap();
        assert_eq!(hints.body.as_deref(), Some("One.\n\nTwo."));
    }

    #[test]
    fn missing_text_and_bad_json_are_errors() {
        assert!(matches!(
            read_record(br#"{"title": "x"}"#, &FieldMap::default()),
            Err(InputError::NoTextField { .. })
        ));
        assert!(matches!(
            read_record(b"{bad", &FieldMap::default()),
            Err(InputError::Json(_))
        ));
        assert!(matches!(
            read_record(b"[1]", &FieldMap::default()),
            Err(InputError::Json(_))
        ));
    }
}
