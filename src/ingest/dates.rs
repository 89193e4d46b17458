//! Reading publication dates as news sites write them: ISO 8601 and RFC 2822 from meta tags
//! and feeds, "September 15, 2016" and "15.07.2016" from date lines and signatures, and
//! `/2016/07/15/` from URL paths.
//!
//! This is for metadata values and the lines that hold them; resolving relative dates in the
//! body ("on Thursday", "last week") against the publication date belongs to `extract`.

use crate::model::{Granularity, Published};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::OnceLock;

/// Month number from an English month name or its abbreviation ("Sept.", "September").
pub(crate) fn month(name: &str) -> Option<u32> {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    FULL.iter()
        .position(|full| full.starts_with(&lower))
        .map(|i| i as u32 + 1)
}

/// An English month name or its abbreviation, in any case, as a regex group.
pub(crate) const MONTH_RE: &str = r"(?i:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)";

struct Patterns {
    iso: Regex,
    dmy_dots: Regex,
    slash: Regex,
    mdy: Regex,
    dmy: Regex,
    month_year: Regex,
    url_path: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("valid date regex");
        Patterns {
            iso: re(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"),
            dmy_dots: re(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"),
            slash: re(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"),
            mdy: re(&format!(r"(?-u:\b)({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?-u:\b)")),
            dmy: re(&format!(r"(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\s*,?\s+(\d{{4}})(?-u:\b)")),
            month_year: re(&format!(r"(?-u:\b)({MONTH_RE})\s+(\d{{4}})(?-u:\b)")),
            url_path: re(r"/((?:19|20)\d{2})/(\d{1,2})(?:/(\d{1,2}))?/"),
        }
    })
}

/// A date found in a string, with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    pub published: Published,
    pub start: usize,
    pub end: usize,
}

/// Whether a four-digit number can be a year of news: 1900 to 2100.
pub(crate) fn plausible_year(y: i32) -> bool {
    (1900..=2100).contains(&y)
}

fn ymd(y: &str, m: u32, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !plausible_year(y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

fn day(date: NaiveDate) -> Published {
    Published {
        date,
        granularity: Granularity::Day,
        not_before: false,
    }
}

/// Every date of day or month precision in `text`, in order of position; overlapping
/// matches keep the more precise one.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let p = patterns();
    let mut found: Vec<FoundDate> = Vec::new();
    let mut push = |date: Option<Published>, m: regex::Match| {
        if let Some(published) = date {
            if !found.iter().any(|f| f.start < m.end() && m.start() < f.end) {
                found.push(FoundDate {
                    published,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    };
    for c in p.iso.captures_iter(text) {
        let m = c.get(2).and_then(|m| m.as_str().parse().ok());
        push(
            m.and_then(|m| ymd(&c[1], m, &c[3])).map(day),
            c.get(0).unwrap(),
        );
    }
    for c in p.mdy.captures_iter(text) {
        push(
            month(&c[1]).and_then(|m| ymd(&c[3], m, &c[2])).map(day),
            c.get(0).unwrap(),
        );
    }
    for c in p.dmy.captures_iter(text) {
        push(
            month(&c[2]).and_then(|m| ymd(&c[3], m, &c[1])).map(day),
            c.get(0).unwrap(),
        );
    }
    for c in p.dmy_dots.captures_iter(text) {
        let m = c[2].parse().ok();
        push(
            m.and_then(|m| ymd(&c[3], m, &c[1])).map(day),
            c.get(0).unwrap(),
        );
    }
    for c in p.slash.captures_iter(text) {
        // Month first, as US sites write it, unless the first number cannot be a month.
        let (a, b): (u32, u32) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        let date = if a > 12 {
            ymd(&c[3], b, &c[1])
        } else {
            ymd(&c[3], a, &c[2])
        };
        push(date.map(day), c.get(0).unwrap());
    }
    for c in p.month_year.captures_iter(text) {
        let date = month(&c[1]).and_then(|m| ymd(&c[2], m, "1"));
        push(
            date.map(|date| Published {
                date,
                granularity: Granularity::Month,
                not_before: false,
            }),
            c.get(0).unwrap(),
        );
    }
    found.sort_by_key(|f| f.start);
    found
}

/// Parse a metadata value that should be a date (a meta tag, a JSON-LD field, a record field):
/// the first date in it, or RFC 2822, or a bare year-month.
pub fn parse_date_value(value: &str) -> Option<Published> {
    let value = value.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(value) {
        return Some(day(dt.date_naive()));
    }
    if let Some(f) = find_dates(value).into_iter().next() {
        return Some(f.published);
    }
    // US short form in record fields: 7/23/17 (month first, two-digit year).
    if let Some((m, rest)) = value.split_once('/') {
        if let Some((d, y)) = rest.split_once('/') {
            if y.len() == 2 && y.chars().all(|c| c.is_ascii_digit()) {
                let year = y.parse::<i32>().ok()?;
                let year = if year < 70 { 2000 + year } else { 1900 + year };
                return ymd(&year.to_string(), m.parse().ok()?, d).map(day);
            }
        }
    }
    // Compact forms: 20160715 and 2016-07.
    let digits: String = value.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() == 8 {
        let m = digits[4..6].parse().ok()?;
        return ymd(&digits[..4], m, &digits[6..8]).map(day);
    }
    None
}

/// A date in a URL path (`/2016/07/15/slug`), day or month precision.
pub fn date_from_url_path(path: &str) -> Option<Published> {
    let c = patterns().url_path.captures(path)?;
    let m: u32 = c[2].parse().ok()?;
    match c.get(3) {
        Some(d) => ymd(&c[1], m, d.as_str()).map(day),
        None => ymd(&c[1], m, "1").map(|date| Published {
            date,
            granularity: Granularity::Month,
            not_before: false,
        }),
    }
}

/// Whether a line says nothing but a date (and perhaps a weekday, a time and a label such as
/// "Published"): a date line.
pub fn is_date_line(line: &str) -> Option<Published> {
    if line.chars().count() > 80 {
        return None;
    }
    let dates = find_dates(line);
    let first = dates.first()?;
    let mut rest = String::new();
    rest.push_str(&line[..first.start]);
    rest.push(' ');
    rest.push_str(&line[first.end..]);
    const FILLER: [&str; 22] = [
        "published",
        "updated",
        "posted",
        "on",
        "at",
        "date",
        "last",
        "modified",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "am",
        "pm",
        "gmt",
        "utc",
        "est",
        "edt",
        "msk",
    ];
    let leftover = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !FILLER.contains(&w.to_ascii_lowercase().as_str()))
        .count();
    (leftover == 0).then(|| first.published.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn reads_common_forms() {
        for (s, want) in [
            ("September 15, 2016", d(2016, 9, 15)),
            ("Sept. 12, 2016", d(2016, 9, 12)),
            ("15 July 2016", d(2016, 7, 15)),
            ("15.07.2016", d(2016, 7, 15)),
            ("2016-07-15T10:20:00+03:00", d(2016, 7, 15)),
            ("Thu, 15 Sep 2016 10:00:00 +0000", d(2016, 9, 15)),
            ("7/6/2016", d(2016, 7, 6)),
            ("20160715", d(2016, 7, 15)),
            ("7/23/17", d(2017, 7, 23)),
        ] {
            assert_eq!(parse_date_value(s).map(|p| p.date), Some(want), "{s}");
        }
    }

    #[test]
    fn month_precision_and_url_paths() {
        let p = parse_date_value("March 2014").unwrap();
        assert_eq!((p.date, p.granularity), (d(2014, 3, 1), Granularity::Month));
        assert_eq!(
            date_from_url_path("/2016/07/15/some-slug/").unwrap().date,
            d(2016, 7, 15)
        );
        assert_eq!(
            date_from_url_path("/2016/07/slug").unwrap().granularity,
            Granularity::Month
        );
        assert!(date_from_url_path("/news/12345/").is_none());
    }

    #[test]
    fn date_lines_hold_only_a_date() {
        assert!(is_date_line("September 15, 2016").is_some());
        assert!(is_date_line("Published: Thursday, 15.09.2016 10:00 GMT").is_some());
        assert!(is_date_line("The talks ended on September 15, 2016.").is_none());
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse_date_value("February 30, 2016").is_none());
        assert!(parse_date_value("32.01.2016").is_none());
    }
}
