//! The query parameters of the desk's routes, read and checked in one place so that the pages
//! and the API accept the same ones and refuse the same ones, with the same messages. Empty
//! values (an HTML form's blank fields) count as absent; unknown names are refused, so that a
//! misspelt filter is not silently ignored.

use super::Failure;
use crate::stories::{Filter, Level};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Most items one page or API call lists.
pub const MAX_LIMIT: usize = 200;
/// Longest search text accepted, in characters.
pub const MAX_QUERY: usize = 500;
const MAX_OFFSET: usize = 1_000_000;

/// The raw parameters, checked against the names a route knows.
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn parse(query: Option<&str>, known: &[&str]) -> Result<Params, Failure> {
        let mut map = BTreeMap::new();
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            // The access token is the guard's, not the route's.
            if k == "token" {
                continue;
            }
            if !known.contains(&k.as_ref()) {
                return Err(Failure::bad_request(format!(
                    "unknown parameter {:?}; this route takes: {}",
                    k,
                    known.join(", ")
                )));
            }
            let v = v.trim();
            if !v.is_empty() {
                map.insert(k.into_owned(), v.to_string());
            }
        }
        Ok(Params(map))
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn date(&self, name: &str) -> Result<Option<NaiveDate>, Failure> {
        self.text(name)
            .map(|s| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                    Failure::bad_request(format!("{name}={s:?} is not a day as YYYY-MM-DD"))
                })
            })
            .transpose()
    }

    pub fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, Failure> {
        let Some(s) = self.text(name) else {
            return Ok(default);
        };
        match s.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(Failure::bad_request(format!(
                "{name}={s:?} must be a whole number from 0 to {max}"
            ))),
        }
    }
}

/// A page of a listing.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Page {
    pub fn read(p: &Params, default: usize) -> Result<Page, Failure> {
        let limit = p.number("limit", default, MAX_LIMIT)?;
        if limit == 0 {
            return Err(Failure::bad_request(format!(
                "limit must be from 1 to {MAX_LIMIT}"
            )));
        }
        Ok(Page {
            limit,
            offset: p.number("offset", 0, MAX_OFFSET)?,
        })
    }
}

/// A date range; `from` after `to` is refused.
pub fn range(p: &Params) -> Result<(Option<NaiveDate>, Option<NaiveDate>), Failure> {
    let (from, to) = (p.date("from")?, p.date("to")?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(Failure::bad_request(format!("from={f} is after to={t}")));
        }
    }
    Ok((from, to))
}

/// The story list's level and filters.
#[derive(Debug, Clone, Default)]
pub struct StoryFilter {
    pub level: Option<Level>,
    pub keep: Filter,
}

pub const STORY_LIST: &[&str] = &[
    "level",
    "from",
    "to",
    "outlet",
    "entity",
    "min_articles",
    "limit",
    "offset",
];

impl StoryFilter {
    pub fn read(p: &Params) -> Result<StoryFilter, Failure> {
        let level = match p.text("level") {
            None => None,
            Some(s) => Some(Level::parse(s).ok_or_else(|| {
                Failure::bad_request(format!("level={s:?} must be event or storyline"))
            })?),
        };
        let (from, to) = range(p)?;
        Ok(StoryFilter {
            level,
            keep: Filter {
                from,
                to,
                outlet: p.text("outlet").map(str::to_string),
                entity: p.text("entity").map(str::to_string),
                min_articles: p.number("min_articles", 1, MAX_OFFSET)?,
            },
        })
    }

    /// The level listed: storylines unless asked otherwise.
    pub fn level(&self) -> Level {
        self.level.unwrap_or(Level::Storyline)
    }
}

/// A story id as the routes take it: `ev_` or `sl_` and hex digits.
pub fn story_id(id: &str) -> Result<&str, Failure> {
    let ok = (id.starts_with("ev_") || id.starts_with("sl_"))
        && id.len() > 3
        && id.len() <= 15
        && id[3..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(id)
    } else {
        Err(Failure::bad_request(format!(
            "{:?} is not a story id (ev_ or sl_ and up to 12 hex digits)",
            cut(id)
        )))
    }
}

/// An article id or a unique prefix of one: up to 12 hex digits.
pub fn article_id(id: &str) -> Result<&str, Failure> {
    if !id.is_empty() && id.len() <= 12 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(id)
    } else {
        Err(Failure::bad_request(format!(
            "{:?} is not an article id (up to 12 hex digits)",
            cut(id)
        )))
    }
}

/// The path's one parameter, or a 400 saying what is wrong with it.
fn path_id(p: Result<Path<String>, PathRejection>) -> Result<String, Failure> {
    p.map(|Path(id)| id)
        .map_err(|e| Failure::bad_request(format!("bad path: {}", e.body_text())))
}

/// A story route's id, checked; the route takes no parameters.
pub fn story_request(
    id: Result<Path<String>, PathRejection>,
    query: Option<&str>,
) -> Result<String, Failure> {
    Params::parse(query, &[])?;
    let id = path_id(id)?;
    story_id(&id)?;
    Ok(id)
}

/// An article route's id and the copy it is compared with (`?compare=`), checked.
pub fn article_request(
    id: Result<Path<String>, PathRejection>,
    query: Option<&str>,
) -> Result<(String, Option<String>), Failure> {
    let p = Params::parse(query, &["compare"])?;
    let compare = p.text("compare").map(str::to_string);
    if let Some(c) = &compare {
        article_id(c)?;
    }
    let id = path_id(id)?;
    article_id(&id)?;
    Ok((id, compare))
}

/// A value cut short for an error message.
fn cut(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_absent_and_unknown_names_refused() {
        let p = Params::parse(Some("from=&outlet=Press+TV&limit=20"), STORY_LIST).unwrap();
        assert_eq!(p.text("from"), None);
        assert_eq!(p.text("outlet"), Some("Press TV"));
        assert_eq!(Page::read(&p, 50).unwrap().limit, 20);
        let e = Params::parse(Some("outlte=x"), STORY_LIST).err().unwrap();
        assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        assert!(e.message.contains("outlte"), "{}", e.message);
        // The token belongs to the guard, never to a route.
        assert!(Params::parse(Some("token=abc"), &[]).is_ok());
    }

    #[test]
    fn bad_numbers_dates_and_ranges_are_400() {
        for q in [
            "limit=0",
            "limit=100000",
            "limit=-1",
            "limit=ten",
            "offset=99999999",
        ] {
            let p = Params::parse(Some(q), STORY_LIST).unwrap();
            assert!(Page::read(&p, 50).is_err(), "{q}");
        }
        for q in [
            "from=2016-13-45",
            "to=yesterday",
            "from=2016-09-02&to=2016-09-01",
        ] {
            let p = Params::parse(Some(q), STORY_LIST).unwrap();
            assert!(range(&p).is_err(), "{q}");
        }
        let p = Params::parse(Some("level=chapter"), STORY_LIST).unwrap();
        assert!(StoryFilter::read(&p).is_err());
    }

    #[test]
    fn ids_are_checked_before_any_lookup() {
        assert!(story_id("ev_43daab7d427f").is_ok());
        assert!(story_id("sl_43").is_ok());
        for bad in [
            "ev_",
            "xx_43",
            "ev_43zz",
            "ev_../../etc",
            "sl_0123456789abc",
        ] {
            assert!(story_id(bad).is_err(), "{bad}");
        }
        assert!(article_id("3f2a9c").is_ok());
        for bad in ["", "../etc/passwd", "3f2a9c3f2a9c3", "3f2a 9c"] {
            assert!(article_id(bad).is_err(), "{bad}");
        }
    }
}
