//! Dates in an article's text, each tied to the sentence it dates.
//!
//! The story timelines need to know when the things an article reports happened: "began at
//! sundown on Sept. 12", "the Kremlin said on Wednesday", "a referendum in March 2014". This
//! module finds such words in cleaned text and turns them into periods of the calendar: full
//! dates in every common form (the forms of [`crate::ingest::dates`], which reads metadata
//! values and date lines, are reused for them), dates and months written without a year,
//! years, decades, parts of months and years, and the relative words of news ("Thursday",
//! "last week", "earlier this month", "two days ago", "the day before") resolved against the
//! publication date. It also guesses an undated article's publication date from the dates it
//! mentions ([`infer_published`]). It is not a parser of times of day, time zones or
//! durations ("for 48 hours"), reads English only, and does not read the tense of a verb:
//! "on Thursday" is the Thursday before publication even in "will meet on Thursday".

use super::{is_abbreviation, CharOffsets};
use crate::ingest::dates::{self as written, plausible_year, MONTH_RE};
use crate::model::Granularity as WrittenGranularity;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// How much of the calendar a mention covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateGranularity {
    /// One day: "July 6, 2016", "yesterday", "on Monday night".
    Day,
    /// A calendar month: "in February", "March 2014", "next month".
    Month,
    /// A calendar year: "in 2015", "last year".
    Year,
    /// Any other span of days: "July 6-9", "mid-July", "last week", "earlier this month",
    /// "the 1990s". Weeks run from Monday to Sunday.
    Range,
}

/// The sentence a date mentioned in it dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedSentence {
    /// The sentence as written (line breaks inside it kept).
    pub text: String,
    /// Character offsets of the sentence in the text: `start..stop`.
    pub start: usize,
    pub stop: usize,
}

/// One date the text mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    /// The words of the date as written: "Sept. 12", "last week", "Monday night". Words that
    /// only lead into a date ("in February", "on Thursday") are not part of them.
    pub text: String,
    /// The first day of the period.
    pub date: NaiveDate,
    /// The last day of the period; `date` itself for a single day.
    pub end: NaiveDate,
    pub granularity: DateGranularity,
    /// Whether the date was resolved against the publication date: relative words, and
    /// dates written without a year, which take their year from it.
    pub relative: bool,
    /// Character offsets of the words in the text: `start..stop`.
    pub start: usize,
    pub stop: usize,
    pub sentence: DatedSentence,
}

/// Every date `text` mentions, in order of position and without overlaps (where two readings
/// overlap, the one that starts first wins, then the longer: "February 2016" over "February").
///
/// With `published`, relative words are resolved against it:
/// - a weekday alone ("Thursday", "on Monday night") is the latest such day on or before
///   publication, as news uses it; "last Thursday" the latest strictly before; "next
///   Thursday" the first strictly after; "this Thursday" the one in the publication's week;
/// - "today", "tonight", "this morning": the publication day; "yesterday", "last night":
///   the day before it; "tomorrow": the day after; "the day before", "the previous day":
///   the day before publication, when nothing follows them but punctuation (not "the day
///   before the vote", which is dated by another event);
/// - "last/this/next week, weekend, month, year"; "earlier this ..." runs from the period's
///   first day to the day before publication, "later this ..." from the day after to its
///   last; "the past week/month/year" ends on the publication day; "over the weekend" is
///   the latest weekend begun by publication;
/// - "N days ago" is a day, "N weeks ago" the week that day falls in, "N months ago" that
///   month, "N years ago" that year;
/// - a date written without a year ("Sept. 12", "in February", "mid-July") takes the
///   publication year, or the year before when that would put it more than two months
///   (61 days) after publication: news reports what happened more often than what will.
///
/// Without `published` those mentions are skipped, not returned unresolved. Invalid dates
/// ("February 30", "32.13.2016") and years outside 1900-2100 are not dates. Slashed dates
/// are read month first (`07/15/2016` and `7/6/2016` are in July), and day first only when
/// the first number cannot be a month (`15/07/2016`); dotted dates are day first.
///
/// ```
/// use chrono::NaiveDate;
/// use newsfold::extract::dates::{find_dates, DateGranularity};
///
/// let published = NaiveDate::from_ymd_opt(2016, 9, 15);
/// let found = find_dates("A ceasefire began on Sept. 12. Talks resume next month.", published);
/// assert_eq!(found[0].text, "Sept. 12");
/// assert_eq!(found[0].date.to_string(), "2016-09-12");
/// assert_eq!(found[1].granularity, DateGranularity::Month);
/// assert_eq!(found[1].sentence.text, "Talks resume next month.");
/// ```
pub fn find_dates(text: &str, published: Option<NaiveDate>) -> Vec<DateMention> {
    let mut found = written_dates(text);
    for (form, re) in patterns() {
        for caps in re.captures_iter(text) {
            if let Some(f) = read(*form, &caps, text, published) {
                found.push(f);
            }
        }
    }
    found.retain(|f| !joined_to_number(text, f.start, f.end));
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if kept.last().is_none_or(|k| k.end <= f.start) {
            kept.push(f);
        }
    }
    let sentences = sentences(text);
    let chars = CharOffsets::new(text);
    kept.into_iter()
        .map(|f| {
            let (s_start, s_end) = sentence_around(&sentences, f.start, f.end);
            DateMention {
                text: text[f.start..f.end].to_string(),
                date: f.period.date,
                end: f.period.end,
                granularity: f.period.granularity,
                relative: f.relative,
                start: chars.at(f.start),
                stop: chars.at(f.end),
                sentence: DatedSentence {
                    text: text[s_start..s_end].to_string(),
                    start: chars.at(s_start),
                    stop: chars.at(s_end),
                },
            }
        })
        .collect()
}

/// The publication date of an undated article, guessed from its mentions (as
/// [`find_dates`] gives them without a publication date): the latest full date, of day
/// precision, written with its year and not relative. An article seldom reports a day after
/// the one it was published on, but it may name a day to come or appear long after the
/// latest it names, so the confidence is low: 0.3. The reason names the mention. `None`
/// when no mention is such a date.
pub fn infer_published(mentions: &[DateMention]) -> Option<(NaiveDate, f32, String)> {
    let latest = mentions
        .iter()
        .filter(|m| m.granularity == DateGranularity::Day && !m.relative)
        .max_by_key(|m| m.date)?;
    let reason = format!(
        "the latest full date the text mentions: \"{}\" ({})",
        latest.text, latest.date
    );
    Some((latest.date, 0.3, reason))
}

/// A period of the calendar.
#[derive(Debug, Clone, Copy)]
struct Period {
    date: NaiveDate,
    end: NaiveDate,
    granularity: DateGranularity,
}

impl Period {
    fn day(date: NaiveDate) -> Period {
        Period {
            date,
            end: date,
            granularity: DateGranularity::Day,
        }
    }

    fn range(date: NaiveDate, end: NaiveDate) -> Option<Period> {
        (date <= end).then_some(Period {
            date,
            end,
            granularity: DateGranularity::Range,
        })
    }

    fn month(year: i32, month: u32) -> Option<Period> {
        let date = NaiveDate::from_ymd_opt(year, month, 1)?;
        let end = date.checked_add_months(Months::new(1))?.pred_opt()?;
        Some(Period {
            date,
            end,
            granularity: DateGranularity::Month,
        })
    }

    fn year(year: i32) -> Option<Period> {
        Some(Period {
            date: NaiveDate::from_ymd_opt(year, 1, 1)?,
            end: NaiveDate::from_ymd_opt(year, 12, 31)?,
            granularity: DateGranularity::Year,
        })
    }

    /// The week, Monday to Sunday, that `day` falls in.
    fn week(day: NaiveDate) -> Option<Period> {
        let monday =
            day.checked_sub_days(Days::new(day.weekday().num_days_from_monday().into()))?;
        Period::range(monday, monday.checked_add_days(Days::new(6))?)
    }
}

/// A date found, with byte offsets of its words.
#[derive(Debug)]
struct Found {
    start: usize,
    end: usize,
    period: Period,
    relative: bool,
}

/// The forms read here beyond the full dates of [`written::find_dates`].
#[derive(Debug, Clone, Copy)]
enum Form {
    /// "Sept. 12", "September 12th".
    MonthDay,
    /// "12 September", "12th of Sept".
    DayMonth,
    /// "July 6-9", "July 6-9, 2016".
    MonthDayRange,
    /// "6-9 July", "6-9 July 2016".
    DayMonthRange,
    /// "early July", "mid-July 2016", "late July".
    PartOfMonth,
    /// "early 2015", "mid-2015", "late 2015".
    PartOfYear,
    /// "in February", "since March", "the end of May".
    MonthAfterCue,
    /// "last March", "next May", "this June".
    RelativeMonth,
    /// "in 2015", "since 2011".
    YearAfterCue,
    /// "between 2012 and 2015", "from 2012 to 2015".
    YearRange,
    /// "the 1990s".
    Decade,
    /// "Thursday", "last Thursday", "Monday night".
    Weekday,
    /// "today", "yesterday", "tomorrow", "tonight", "last night".
    DayWord,
    /// "last week", "this month", "earlier this year", "the past week".
    NamedPeriod,
    /// "over the weekend": the latest weekend begun by publication.
    TheWeekend,
    /// "two days ago", "three weeks ago".
    Ago,
    /// "the day before", "the previous day", "the day before yesterday".
    DayBefore,
}

/// Words that lead into a month or a year ("in February", "since 2011") and are not part
/// of the date's words.
const CUES: &str = "in|since|until|till|by|from|through|during|before|after";
/// Nouns that lead into a month or a year with "of": "the end of May", "the summer of 2015".
const CUE_NOUNS: &str = "end|beginning|start|middle|month|summer|spring|autumn|fall|winter";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
const DAY_PARTS: &str = "morning|afternoon|evening|night";
const COUNTS: &str =
    "an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[0-9]{1,3}";

impl Form {
    const ALL: [Form; 17] = [
        Form::MonthDay,
        Form::DayMonth,
        Form::MonthDayRange,
        Form::DayMonthRange,
        Form::PartOfMonth,
        Form::PartOfYear,
        Form::MonthAfterCue,
        Form::RelativeMonth,
        Form::YearAfterCue,
        Form::YearRange,
        Form::Decade,
        Form::Weekday,
        Form::DayWord,
        Form::NamedPeriod,
        Form::TheWeekend,
        Form::Ago,
        Form::DayBefore,
    ];

    /// The form's regex, between word boundaries. The date's words are the group `w` where
    /// they are not the whole match; month names match in any case and are checked after.
    fn pattern(self) -> String {
        let month = format!("(?P<mon>{MONTH_RE})");
        let day = "(?P<d>[0-9]{1,2})";
        let days = r"(?P<d>[0-9]{1,2})\s*[-–]\s*(?P<d2>[0-9]{1,2})";
        let year = "(?P<y>[0-9]{4})";
        let ord = "(?:st|nd|rd|th)?";
        let part = r"(?i:(?P<part>early|mid|late))[\s-]+";
        let cue = format!(r"(?i:{CUES}|(?:{CUE_NOUNS})\s+of)");
        let inner = match self {
            Form::MonthDay => format!(r"{month}\s+{day}{ord}"),
            Form::DayMonth => format!(r"{day}{ord}\s+(?i:of\s+)?{month}"),
            Form::MonthDayRange => format!(r"{month}\s+{days}(?:,?\s+{year})?"),
            Form::DayMonthRange => format!(r"{days}\s+{month}(?:\s+{year})?"),
            Form::PartOfMonth => format!(r"{part}{month}(?:\s+{year})?"),
            Form::PartOfYear => format!(r"{part}{year}"),
            Form::MonthAfterCue => format!(r"(?P<cue>{cue})\s+(?P<w>{month})"),
            Form::RelativeMonth => format!(r"(?P<w>(?P<rel>(?i:last|next|this))\s+{month})"),
            Form::YearAfterCue => format!(r"{cue}\s+(?P<w>{year})"),
            Form::YearRange => {
                r"(?i:between|from)\s+(?P<w>(?P<y>[0-9]{4})\s*(?:(?i:and|to)|[-–])\s*(?P<y2>[0-9]{4}))"
                    .to_string()
            }
            Form::Decade => r"(?P<w>(?i:the)\s+(?P<y>(?:1[89]|20)[0-9]0)s)".to_string(),
            Form::Weekday => format!(
                r"(?P<w>(?:(?P<rel>(?i:last|next|this|past))\s+)?(?P<wd>{WEEKDAYS})(?:\s+(?i:{DAY_PARTS}))?)"
            ),
            Form::DayWord => {
                r"(?P<w>(?i:today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night))"
                    .to_string()
            }
            Form::NamedPeriod => {
                r"(?P<w>(?i:(?P<rel>last|this|next|past|earlier\s+this|later\s+this)\s+(?P<unit>week|weekend|month|year)))"
                    .to_string()
            }
            Form::TheWeekend => r"(?i:over|during|on|at)\s+(?P<w>(?i:the)\s+weekend)".to_string(),
            Form::Ago => format!(
                r"(?P<w>(?i:(?P<n>{COUNTS})\s+(?P<unit>day|week|month|year)s?\s+ago))"
            ),
            Form::DayBefore => {
                r"(?P<w>(?i:the\s+(?:day\s+before\s+yesterday|day\s+after\s+tomorrow|day\s+before|previous\s+day)))"
                    .to_string()
            }
        };
        format!(r"(?-u:\b)(?:{inner})(?-u:\b)")
    }
}

fn patterns() -> &'static [(Form, Regex)] {
    static P: OnceLock<Vec<(Form, Regex)>> = OnceLock::new();
    P.get_or_init(|| {
        Form::ALL
            .into_iter()
            .map(|form| (form, Regex::new(&form.pattern()).expect("valid date regex")))
            .collect()
    })
}

/// The full dates that carry their year, as metadata readers find them, with month names
/// capitalised as running text writes them.
fn written_dates(text: &str) -> Vec<Found> {
    written::find_dates(text)
        .into_iter()
        .filter(|f| {
            text[f.start..f.end]
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| written::month(w).is_some())
                .all(capitalised)
        })
        .filter_map(|f| {
            let p = &f.published;
            let period = match p.granularity {
                WrittenGranularity::Day => Period::day(p.date),
                WrittenGranularity::Month => Period::month(p.date.year(), p.date.month())?,
                WrittenGranularity::Year => Period::year(p.date.year())?,
            };
            Some(Found {
                start: f.start,
                end: f.end,
                period,
                relative: false,
            })
        })
        .collect()
}

/// One match of a form read as a date, or `None` when it is not one (a verb, a name, an
/// impossible date, a relative date without a publication date).
fn read(form: Form, caps: &Captures, text: &str, published: Option<NaiveDate>) -> Option<Found> {
    let words = caps.name("w").or_else(|| caps.get(0))?;
    let (period, relative) = match form {
        Form::Weekday
        | Form::DayWord
        | Form::NamedPeriod
        | Form::TheWeekend
        | Form::Ago
        | Form::DayBefore => (relative_period(form, caps, text, published?)?, true),
        _ if names_the_attacks(form, caps, text) => {
            (Period::day(NaiveDate::from_ymd_opt(2001, 9, 11)?), false)
        }
        _ => calendar_period(form, caps, published)?,
    };
    Some(Found {
        start: words.start(),
        end: words.end(),
        period,
        relative,
    })
}

/// "the Sept. 11 attacks": the day in 2001, whatever the publication year.
fn names_the_attacks(form: Form, caps: &Captures, text: &str) -> bool {
    let day = |name| caps.name(name).map(|m| m.as_str());
    let month = day("mon").and_then(written::month);
    let next = caps
        .get(0)
        .and_then(|m| text[m.end()..].split_whitespace().next());
    matches!(form, Form::MonthDay | Form::DayMonth)
        && (month, day("d")) == (Some(9), Some("11"))
        && next.is_some_and(|w| w.to_lowercase().starts_with("attack"))
}

/// The period of a form that names the calendar ("Sept. 12", "mid-July", "in 2015"), and
/// whether its year came from the publication date.
fn calendar_period(
    form: Form,
    caps: &Captures,
    published: Option<NaiveDate>,
) -> Option<(Period, bool)> {
    let month = || {
        caps.name("mon")
            .filter(|m| capitalised(m.as_str()))
            .and_then(|m| written::month(m.as_str()))
    };
    let number = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = || {
        caps.name("y")
            .and_then(|m| m.as_str().parse::<i32>().ok())
            .filter(|&y| plausible_year(y))
    };
    // A month and day in the year written, else in the publication's (so relative).
    let dated = |m: u32, d: u32| match caps.name("y") {
        Some(_) => NaiveDate::from_ymd_opt(year()?, m, d).map(|date| (date, false)),
        None => in_year_of(published?, m, d).map(|date| (date, true)),
    };
    Some(match form {
        Form::MonthDay | Form::DayMonth => {
            let (date, relative) = dated(month()?, number("d")?)?;
            (Period::day(date), relative)
        }
        Form::MonthDayRange | Form::DayMonthRange => {
            let (first, relative) = dated(month()?, number("d")?)?;
            let last = first.with_day(number("d2")?)?;
            (
                Period::range(first, last).filter(|p| p.date < p.end)?,
                relative,
            )
        }
        Form::PartOfMonth => {
            let m = month()?;
            let (first, relative) = dated(m, 1)?;
            let whole = Period::month(first.year(), m)?;
            let (from, to) = match caps.name("part")?.as_str().to_lowercase().as_str() {
                "early" => (1, 10),
                "mid" => (11, 20),
                _ => (21, whole.end.day()),
            };
            (
                Period::range(first.with_day(from)?, first.with_day(to)?)?,
                relative,
            )
        }
        Form::PartOfYear => {
            let y = year()?;
            let (from, to) = match caps.name("part")?.as_str().to_lowercase().as_str() {
                "early" => (1, 4),
                "mid" => (5, 8),
                _ => (9, 12),
            };
            let start = Period::month(y, from)?;
            let stop = Period::month(y, to)?;
            (Period::range(start.date, stop.end)?, false)
        }
        Form::MonthAfterCue => {
            let m = month()?;
            let cue = caps.name("cue")?.as_str().to_lowercase();
            // "by May", "from May", "after May": in the news of 2016-2019, Theresa May.
            if m == 5 && ["by", "from", "before", "after"].contains(&cue.as_str()) {
                return None;
            }
            let (first, relative) = dated(m, 1)?;
            (Period::month(first.year(), m)?, relative)
        }
        Form::RelativeMonth => {
            let (p, m) = (published?, month()?);
            let y = match caps.name("rel")?.as_str().to_lowercase().as_str() {
                "last" if m < p.month() => p.year(),
                "last" => p.year() - 1,
                "next" if m > p.month() => p.year(),
                "next" => p.year() + 1,
                _ => p.year(),
            };
            (Period::month(y, m)?, true)
        }
        Form::YearAfterCue => (Period::year(year()?)?, false),
        Form::YearRange => {
            let last = caps
                .name("y2")?
                .as_str()
                .parse()
                .ok()
                .filter(|&y| plausible_year(y))?;
            let first = Period::year(year()?)?;
            (
                Period::range(first.date, Period::year(last)?.end).filter(|p| first.end < p.end)?,
                false,
            )
        }
        Form::Decade => {
            let y = year()?;
            let last = NaiveDate::from_ymd_opt(y + 9, 12, 31)?;
            (
                Period::range(NaiveDate::from_ymd_opt(y, 1, 1)?, last)?,
                false,
            )
        }
        _ => return None,
    })
}

/// The period of a form that is relative to the publication date ("Thursday", "last week").
fn relative_period(
    form: Form,
    caps: &Captures,
    text: &str,
    published: NaiveDate,
) -> Option<Period> {
    let words = caps.name("w").or_else(|| caps.get(0))?;
    let lower = words.as_str().to_lowercase();
    Some(match form {
        Form::Weekday => {
            if weekday_in_a_name(text, words.start(), words.end()) {
                return None;
            }
            let day: Weekday = caps.name("wd")?.as_str().parse().ok()?;
            let rel = caps.name("rel").map(|r| r.as_str().to_lowercase());
            Period::day(weekday(published, day, rel.as_deref())?)
        }
        Form::DayWord => {
            if is_a_name(text, words.start(), words.as_str()) {
                return None;
            }
            let date = match lower.as_str() {
                "yesterday" => published.pred_opt()?,
                "tomorrow" => published.succ_opt()?,
                w if w.starts_with("last") => published.pred_opt()?,
                _ => published,
            };
            Period::day(date)
        }
        Form::NamedPeriod => {
            let rel = caps.name("rel")?.as_str().to_lowercase();
            let rel = rel.split_whitespace().next()?;
            let unit = caps.name("unit")?.as_str().to_lowercase();
            named_period(published, rel, &unit)?
        }
        Form::TheWeekend => {
            let begun = published.weekday().number_from_monday() >= 6;
            let back = if begun { 0 } else { 7 };
            containing("weekend", published.checked_sub_days(Days::new(back))?)?
        }
        Form::Ago => {
            let n = count(&caps.name("n")?.as_str().to_lowercase())?;
            let unit = caps.name("unit")?.as_str().to_lowercase();
            ago(published, n, &unit)?
        }
        Form::DayBefore => {
            let date = if lower.ends_with("yesterday") {
                published.checked_sub_days(Days::new(2))?
            } else if lower.ends_with("tomorrow") {
                published.checked_add_days(Days::new(2))?
            } else if ends_its_clause(text, words.end()) {
                published.pred_opt()?
            } else {
                return None;
            };
            Period::day(date)
        }
        _ => return None,
    })
}

/// The date of a month and day written without a year: in the publication year, or the
/// year before when that would put it more than 61 days after publication.
fn in_year_of(published: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(published.year(), month, day)?;
    if this_year > published.checked_add_days(Days::new(61))? {
        NaiveDate::from_ymd_opt(published.year() - 1, month, day)
    } else {
        Some(this_year)
    }
}

/// The day a weekday stands for, seen from the publication date (see [`find_dates`]).
fn weekday(published: NaiveDate, day: Weekday, rel: Option<&str>) -> Option<NaiveDate> {
    let today = published.weekday().num_days_from_monday();
    let wanted = day.num_days_from_monday();
    let back = (today + 7 - wanted) % 7;
    match rel {
        Some("last" | "past") => {
            let back = if back == 0 { 7 } else { back };
            published.checked_sub_days(Days::new(back.into()))
        }
        Some("next") => published.checked_add_days(Days::new((7 - back).into())),
        Some(_) => Period::week(published)?
            .date
            .checked_add_days(Days::new(wanted.into())),
        None => published.checked_sub_days(Days::new(back.into())),
    }
}

/// "last/this/next/earlier this/later this/past" and a unit, from the publication date.
fn named_period(published: NaiveDate, rel: &str, unit: &str) -> Option<Period> {
    let this = containing(unit, published)?;
    let back = || moved(unit, published, false);
    match (rel, unit) {
        ("this", _) => Some(this),
        ("last", _) => containing(unit, back()?),
        ("next", _) => containing(unit, moved(unit, published, true)?),
        (_, "weekend") => None,
        ("earlier", _) => Period::range(this.date, published.pred_opt()?),
        ("later", _) => Period::range(published.succ_opt()?, this.end),
        _ => Period::range(back()?.succ_opt()?, published),
    }
}

/// The week, weekend, month or year that `day` falls in.
fn containing(unit: &str, day: NaiveDate) -> Option<Period> {
    match unit {
        "week" => Period::week(day),
        "weekend" => {
            let sunday = Period::week(day)?.end;
            Period::range(sunday.pred_opt()?, sunday)
        }
        "month" => Period::month(day.year(), day.month()),
        _ => Period::year(day.year()),
    }
}

/// `day` moved one unit forward or back.
fn moved(unit: &str, day: NaiveDate, forward: bool) -> Option<NaiveDate> {
    let months = match unit {
        "month" => Months::new(1),
        "year" => Months::new(12),
        _ if forward => return day.checked_add_days(Days::new(7)),
        _ => return day.checked_sub_days(Days::new(7)),
    };
    if forward {
        day.checked_add_months(months)
    } else {
        day.checked_sub_months(months)
    }
}

/// "N days/weeks/months/years ago" (see [`find_dates`]).
fn ago(published: NaiveDate, n: u32, unit: &str) -> Option<Period> {
    match unit {
        "day" => Some(Period::day(
            published.checked_sub_days(Days::new(n.into()))?,
        )),
        "week" => Period::week(published.checked_sub_days(Days::new(u64::from(n) * 7))?),
        "month" => {
            let then = published.checked_sub_months(Months::new(n))?;
            Period::month(then.year(), then.month())
        }
        _ => Period::year(published.year().checked_sub(i32::try_from(n).ok()?)?),
    }
}

/// A small count as news writes it: "a", "two", "12".
fn count(word: &str) -> Option<u32> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    match word {
        "a" | "an" => Some(1),
        _ => WORDS
            .iter()
            .position(|w| *w == word)
            .map(|i| i as u32 + 1)
            .or_else(|| word.parse().ok()),
    }
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The word before byte `at`.
fn word_before(text: &str, at: usize) -> Option<&str> {
    text[..at].split_whitespace().next_back()
}

/// Whether the weekday at `start..end` is part of a name: a holiday ("Good Friday", "Ash
/// Wednesday") or a newspaper ("the Sunday Times"), not a day before publication.
fn weekday_in_a_name(text: &str, start: usize, end: usize) -> bool {
    const HOLIDAYS: &[&str] = &[
        "Good", "Black", "Holy", "Ash", "Palm", "Easter", "Maundy", "Cyber",
    ];
    const PAPERS: &[&str] = &[
        "Times",
        "Telegraph",
        "Express",
        "Mirror",
        "Herald",
        "Post",
        "Independent",
        "Mail",
        "Star",
        "Tribune",
        "People",
        "Sport",
        "World",
        "Observer",
    ];
    let after = text[end..].split_whitespace().next().map(|w| {
        w.trim_end_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches("'s")
            .trim_end_matches("’s")
    });
    word_before(text, start).is_some_and(|w| HOLIDAYS.contains(&w))
        || after.is_some_and(|w| PAPERS.contains(&w))
}

/// A capitalised "Today" after a capitalised word or "the" is part of a name: "Russia
/// Today", "USA Today", "the Today programme". At the start of a sentence, the word before
/// ends with its full stop.
fn is_a_name(text: &str, at: usize, word: &str) -> bool {
    capitalised(word)
        && word_before(text, at).is_some_and(|w| {
            w == "the" || (capitalised(w) && !w.ends_with(['.', '!', '?', ':', '"', '”']))
        })
}

/// Whether nothing but punctuation or the end of the text follows byte `at`: "the day
/// before." rather than "the day before the vote".
fn ends_its_clause(text: &str, at: usize) -> bool {
    text[at..]
        .trim_start()
        .chars()
        .next()
        .is_none_or(|c| matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | '—' | '–'))
}

/// Whether the words at `start..end` are part of a longer number: "1.12 March", "May 5:30",
/// "March 1,500".
fn joined_to_number(text: &str, start: usize, end: usize) -> bool {
    let joins = |c: char| matches!(c, '.' | ',' | ':' | '/' | '-');
    let mut after = text[end..].chars();
    let next_joins =
        after.next().is_some_and(joins) && after.next().is_some_and(|c| c.is_ascii_digit());
    let mut before = text[..start].chars().rev();
    let prev_joins =
        before.next().is_some_and(joins) && before.next().is_some_and(|c| c.is_ascii_digit());
    next_joins || prev_joins
}

/// Byte ranges of the sentences of `text`, trimmed. A sentence ends at a full stop,
/// question or exclamation mark (with the closing marks after it) followed by a space and a
/// word that does not start in lower case, unless it ends an abbreviation ("Sept.", "Mr.",
/// "U.S."); and at a blank line, unless the paragraph before it stops without a full stop
/// and the one after starts in lower case (a paragraph broken in two).
pub(crate) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if i < start {
            continue;
        }
        let cut = match c {
            '.' | '!' | '?' => sentence_end(text, i),
            '\n' => paragraph_end(text, i),
            _ => None,
        };
        if let Some(end) = cut {
            push_trimmed(&mut out, text, start, end);
            start = end;
        }
    }
    push_trimmed(&mut out, text, start, text.len());
    out
}

const CLOSERS: [char; 7] = ['"', '”', '’', '\'', ')', ']', '»'];

fn push_trimmed(out: &mut Vec<(usize, usize)>, text: &str, start: usize, end: usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if !trimmed.is_empty() {
        out.push((start + lead, start + lead + trimmed.len()));
    }
}

/// Where a sentence ends when the mark at byte `i` ends it.
fn sentence_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i + 1..];
    let end = i + 1 + (rest.len() - rest.trim_start_matches(CLOSERS).len());
    let after = &text[end..];
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return None;
    }
    if after.trim_start().starts_with(char::is_lowercase) {
        return None;
    }
    let word = text[..i].split_whitespace().next_back().unwrap_or("");
    let stem = word.trim_start_matches(['(', '"', '“', '‘', '\'']);
    (text[i..].starts_with(['!', '?']) || !is_abbreviation(stem)).then_some(end)
}

/// Where a sentence ends when the line break at byte `i` starts a blank line.
fn paragraph_end(text: &str, i: usize) -> Option<usize> {
    let rest = text[i + 1..].trim_start_matches([' ', '\t', '\r']);
    if !rest.starts_with('\n') {
        return None;
    }
    let before = text[..i].trim_end().trim_end_matches(CLOSERS);
    let broken = !before.ends_with(['.', '!', '?', ':'])
        && rest.trim_start().starts_with(char::is_lowercase);
    (!broken).then_some(i)
}

/// The sentence that holds the bytes `start..end`, as byte offsets (the sentences it runs
/// over, for words a sentence end cuts).
fn sentence_around(sentences: &[(usize, usize)], start: usize, end: usize) -> (usize, usize) {
    let first = sentences.partition_point(|&(_, stop)| stop <= start);
    let last = sentences.partition_point(|&(from, _)| from < end);
    let from = sentences.get(first).map_or(start, |s| s.0.min(start));
    let to = last
        .checked_sub(1)
        .and_then(|i| sentences.get(i))
        .map_or(end, |s| s.1.max(end));
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a valid test date")
    }

    /// Thursday 15 September 2016, the Moscow Times seed's publication day.
    fn published() -> Option<NaiveDate> {
        Some(d(2016, 9, 15))
    }

    fn one(text: &str) -> DateMention {
        let found = find_dates(text, published());
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.into_iter().next().expect("one mention")
    }

    fn texts(text: &str) -> Vec<String> {
        find_dates(text, published())
            .into_iter()
            .map(|m| m.text)
            .collect()
    }

    #[test]
    fn full_dates_in_every_common_form() {
        for (s, words, want) in [
            (
                "It happened on July 6, 2016 in Tbilisi.",
                "July 6, 2016",
                d(2016, 7, 6),
            ),
            (
                "It happened on 12 September 2016.",
                "12 September 2016",
                d(2016, 9, 12),
            ),
            ("Signed 15.07.2016 in Moscow.", "15.07.2016", d(2016, 7, 15)),
            (
                "Filed 2016-07-15 by the clerk.",
                "2016-07-15",
                d(2016, 7, 15),
            ),
            (
                "Filed 07/15/2016 by the clerk.",
                "07/15/2016",
                d(2016, 7, 15),
            ),
            ("Filed 7/6/2016 by the clerk.", "7/6/2016", d(2016, 7, 6)),
            (
                "Filed 15/07/2016 by the clerk.",
                "15/07/2016",
                d(2016, 7, 15),
            ),
        ] {
            let m = find_dates(s, None);
            assert_eq!(m.len(), 1, "{s}");
            assert_eq!((m[0].text.as_str(), m[0].date), (words, want), "{s}");
            assert_eq!(m[0].granularity, DateGranularity::Day);
            assert!(!m[0].relative);
        }
    }

    #[test]
    fn dates_without_a_year_take_the_publication_year() {
        let m = one("The truce began at sundown on Sept. 12 in order to deliver aid.");
        assert_eq!(
            (m.text.as_str(), m.date, m.end),
            ("Sept. 12", d(2016, 9, 12), d(2016, 9, 12))
        );
        assert!(m.relative);
        assert_eq!(one("They met on September 12th.").date, d(2016, 9, 12));
        assert_eq!(one("They met on 12 September.").date, d(2016, 9, 12));
        // Within two months after publication: this year; further: the year before.
        assert_eq!(one("The vote is on November 8.").date, d(2016, 11, 8));
        assert_eq!(one("It was signed on December 20.").date, d(2015, 12, 20));
        assert!(find_dates("It was signed on December 20.", None).is_empty());
        // An event that a date names, not a day of the publication year.
        let m = one("since the Sept. 11 attacks on New York");
        assert_eq!((m.date, m.relative), (d(2001, 9, 11), false));
    }

    #[test]
    fn months_years_and_decades() {
        let m = one("The deal was agreed in February.");
        assert_eq!(
            (m.text.as_str(), m.date, m.end),
            ("February", d(2016, 2, 1), d(2016, 2, 29))
        );
        assert_eq!(m.granularity, DateGranularity::Month);
        let m = one("after a referendum in March 2014.");
        assert_eq!(
            (m.text.as_str(), m.date, m.granularity),
            ("March 2014", d(2014, 3, 1), DateGranularity::Month)
        );
        let m = one("in Ukraine in 2014 and since then");
        assert_eq!(
            (m.text.as_str(), m.date, m.end),
            ("2014", d(2014, 1, 1), d(2014, 12, 31))
        );
        assert_eq!(m.granularity, DateGranularity::Year);
        let m = one("as in the 1990s, when");
        assert_eq!(
            (m.date, m.end, m.granularity),
            (d(1990, 1, 1), d(1999, 12, 31), DateGranularity::Range)
        );
        assert_eq!(one("It began last March.").date, d(2016, 3, 1));
        assert_eq!(one("It ends next March.").date, d(2017, 3, 1));
        assert_eq!(one("by the end of March").date, d(2016, 3, 1));
        assert_eq!(find_dates("since 2011, and in February", None).len(), 1);
        let m = one("It grew between 2012 and 2015, slowly.");
        assert_eq!(
            (m.text.as_str(), m.date, m.end),
            ("2012 and 2015", d(2012, 1, 1), d(2015, 12, 31))
        );
        assert_eq!(m.granularity, DateGranularity::Range);
        assert_eq!(texts("from 2012 to 2012"), ["2012"]);
    }

    #[test]
    fn parts_and_ranges() {
        let m = one("Fighting flared in mid-July.");
        assert_eq!(
            (m.text.as_str(), m.date, m.end),
            ("mid-July", d(2016, 7, 11), d(2016, 7, 20))
        );
        assert_eq!(m.granularity, DateGranularity::Range);
        let m = one("It was late February 2015.");
        assert_eq!(
            (m.date, m.end, m.relative),
            (d(2015, 2, 21), d(2015, 2, 28), false)
        );
        let m = one("Talks are planned for early 2017.");
        assert_eq!((m.date, m.end), (d(2017, 1, 1), d(2017, 4, 30)));
        let m = one("The summit ran July 6-9, 2016 in Warsaw.");
        assert_eq!(
            (m.text.as_str(), m.date, m.end),
            ("July 6-9, 2016", d(2016, 7, 6), d(2016, 7, 9))
        );
        let m = one("The summit ran 6-9 July.");
        assert_eq!(
            (m.date, m.end, m.relative),
            (d(2016, 7, 6), d(2016, 7, 9), true)
        );
    }

    #[test]
    fn weekdays_as_news_uses_them() {
        // Published on a Thursday: "Thursday" is that day, "Wednesday" the day before.
        assert_eq!(one("the agency reported Thursday.").date, d(2016, 9, 15));
        let m = one("Mark Toner said Wednesday.");
        assert_eq!(
            (m.text.as_str(), m.date, m.relative),
            ("Wednesday", d(2016, 9, 14), true)
        );
        assert_eq!(one("strikes on Tuesday, in a move").date, d(2016, 9, 13));
        assert_eq!(one("They meet next Thursday.").date, d(2016, 9, 22));
        assert_eq!(one("They met last Thursday.").date, d(2016, 9, 8));
        let m = one("Shelling resumed on Monday night, witnesses said.");
        assert_eq!((m.text.as_str(), m.date), ("Monday night", d(2016, 9, 12)));
        assert!(texts("on Good Friday the march").is_empty());
        assert!(texts("the Sunday Times reported, as did the Sunday Telegraph's").is_empty());
        assert_eq!(texts("On Sunday Kerry met Lavrov."), ["Sunday"]);
        assert!(find_dates("the agency reported Thursday.", None).is_empty());
    }

    #[test]
    fn days_weeks_months_and_years_around_publication() {
        for (s, words, from, to) in [
            (
                "Talks ended today.",
                "today",
                d(2016, 9, 15),
                d(2016, 9, 15),
            ),
            (
                "Talks ended yesterday.",
                "yesterday",
                d(2016, 9, 14),
                d(2016, 9, 14),
            ),
            (
                "Talks resume tomorrow.",
                "tomorrow",
                d(2016, 9, 16),
                d(2016, 9, 16),
            ),
            (
                "Talks ended last night.",
                "last night",
                d(2016, 9, 14),
                d(2016, 9, 14),
            ),
            (
                "a helicopter downed last week",
                "last week",
                d(2016, 9, 5),
                d(2016, 9, 11),
            ),
            (
                "Talks continue this week.",
                "this week",
                d(2016, 9, 12),
                d(2016, 9, 18),
            ),
            (
                "Talks failed over the weekend.",
                "the weekend",
                d(2016, 9, 10),
                d(2016, 9, 11),
            ),
            (
                "Talks resume next month.",
                "next month",
                d(2016, 10, 1),
                d(2016, 10, 31),
            ),
            (
                "They met earlier this month.",
                "earlier this month",
                d(2016, 9, 1),
                d(2016, 9, 14),
            ),
            (
                "They met later this month.",
                "later this month",
                d(2016, 9, 16),
                d(2016, 9, 30),
            ),
            (
                "It grew last year.",
                "last year",
                d(2015, 1, 1),
                d(2015, 12, 31),
            ),
            (
                "It grew over the past week.",
                "past week",
                d(2016, 9, 9),
                d(2016, 9, 15),
            ),
            (
                "They met two days ago.",
                "two days ago",
                d(2016, 9, 13),
                d(2016, 9, 13),
            ),
            (
                "They met three weeks ago.",
                "three weeks ago",
                d(2016, 8, 22),
                d(2016, 8, 28),
            ),
            (
                "They met a month ago.",
                "a month ago",
                d(2016, 8, 1),
                d(2016, 8, 31),
            ),
            (
                "The talks had ended the day before.",
                "the day before",
                d(2016, 9, 14),
                d(2016, 9, 14),
            ),
            (
                "They met the day before yesterday.",
                "the day before yesterday",
                d(2016, 9, 13),
                d(2016, 9, 13),
            ),
        ] {
            let m = one(s);
            assert_eq!((m.text.as_str(), m.date, m.end), (words, from, to), "{s}");
            assert!(m.relative, "{s}");
        }
        assert_eq!(one("It grew last year.").granularity, DateGranularity::Year);
        assert_eq!(
            one("a helicopter downed last week").granularity,
            DateGranularity::Range
        );
        assert!(texts("the day before the vote").is_empty());
        assert!(find_dates("Talks ended yesterday and resume next week.", None).is_empty());
    }

    #[test]
    fn words_that_are_not_dates() {
        for s in [
            "Russia may respond, and we may see more.",
            "May I ask a question?",
            "Protesters march on the capital. March on, they said.",
            "Thousands will March to the square.",
            "Sun 12 and Wed 14 are abbreviations we do not read.",
            "Growth was 1.5 percent, up from 2.5.",
            "The bill passed with 2016 votes.",
            "He spoke to Fox 35 about it.",
            "The meeting starts at 5:30 and ends at 7:45.",
            "especially Russia Today, prior to the talks",
            "USA Today reported it.",
            "he told the Today programme",
            "Invalid: 32.13.2016 and February 30 and 2016-13-45.",
            "a speech by May and a letter from May",
            "The score was 3-1 at half time.",
        ] {
            assert!(texts(s).is_empty(), "{s}: {:?}", texts(s));
        }
        // The modal verb beside a real date.
        assert_eq!(texts("They may meet on May 12."), ["May 12"]);
        assert_eq!(texts("Today, the talks resumed."), ["Today"]);
        assert_eq!(texts("May 5:30 pm"), Vec::<String>::new());
    }

    #[test]
    fn mentions_are_tied_to_their_sentences() {
        let text = "Mr. Kerry arrived on Sept. 12. He left the U.S. embassy on Wednesday.\n\nA truce began at\n\nsundown on Monday. Talks continue.";
        let found = find_dates(text, published());
        let sentences: Vec<&str> = found.iter().map(|m| m.sentence.text.as_str()).collect();
        assert_eq!(
            sentences,
            [
                "Mr. Kerry arrived on Sept. 12.",
                "He left the U.S. embassy on Wednesday.",
                "A truce began at\n\nsundown on Monday."
            ]
        );
        for m in &found {
            let chars: Vec<char> = text.chars().collect();
            let words: String = chars[m.start..m.stop].iter().collect();
            let sentence: String = chars[m.sentence.start..m.sentence.stop].iter().collect();
            assert_eq!((words, sentence), (m.text.clone(), m.sentence.text.clone()));
        }
    }

    #[test]
    fn offsets_count_characters() {
        let m = one("«Любые» talks — on Sept. 12.");
        assert_eq!((m.start, m.stop), (19, 27));
        assert_eq!(m.sentence.start, 0);
    }

    #[test]
    fn serialises_granularity_in_snake_case() {
        let m = one("Talks resume next month.");
        let json = serde_json::to_value(&m).expect("serialisable");
        assert_eq!(json["granularity"], "month");
        assert_eq!(json["date"], "2016-10-01");
        let back: DateMention = serde_json::from_value(json).expect("deserialisable");
        assert_eq!(back, m);
    }

    #[test]
    fn infers_publication_from_the_latest_full_date() {
        let text = "a summit on November 16, 2015, a visit on July 6, 2016, and talks since March 2011, reported Thursday.";
        let (date, confidence, reason) =
            infer_published(&find_dates(text, None)).expect("a full date");
        assert_eq!(date, d(2016, 7, 6));
        assert!(confidence < 0.5);
        assert!(reason.contains("July 6, 2016"), "{reason}");
        assert!(infer_published(&find_dates("since March 2011, in 2015", None)).is_none());
        // Relative and year-less mentions do not date an article.
        assert!(infer_published(&find_dates("on Sept. 12, yesterday", published())).is_none());
    }

    #[test]
    fn thousands_of_dates_in_one_article() {
        let text = "On Sept. 12, 2016, not 32.13.2016, they met on Thursday. ".repeat(5_000);
        let found = find_dates(&text, published());
        assert_eq!(found.len(), 10_000);
        let last = "On Sept. 12, 2016, not 32.13.2016, they met on Thursday.";
        assert_eq!(found[9_999].sentence.text, last);
    }

    #[test]
    fn extreme_publication_dates_do_not_panic() {
        let text =
            "Sept. 12, last week, next month, next year, two years ago, Thursday, tomorrow, \
                    earlier this year, 999 months ago, the day before, next Monday, mid-July";
        for p in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            d(2016, 2, 29),
            d(2016, 12, 31),
        ] {
            let _ = find_dates(text, Some(p));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_and_offsets_are_in_order(
            s in "(?:[a-zA-Z0-9 .,:/\\-\n]|Sept\\. |May |Thursday |last week |mid-|\u{2019}|\u{e9}|\u{201c}|\u{442}){0,60}",
            any in "\\PC{0,40}",
            days in proptest::option::of(0i32..800_000),
        ) {
            let published = days.and_then(NaiveDate::from_num_days_from_ce_opt);
            for text in [s.as_str(), any.as_str()] {
                let chars: Vec<char> = text.chars().collect();
                let mut last = 0;
                for m in find_dates(text, published) {
                    prop_assert!(last <= m.start && m.start < m.stop && m.stop <= chars.len());
                    prop_assert!(m.sentence.start <= m.start && m.stop <= m.sentence.stop);
                    prop_assert!(m.sentence.stop <= chars.len());
                    prop_assert_eq!(chars[m.start..m.stop].iter().collect::<String>(), m.text.clone());
                    prop_assert!(m.date <= m.end);
                    last = m.stop;
                }
            }
        }
    }
}
