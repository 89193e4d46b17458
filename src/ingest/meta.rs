//! Choosing each metadata value from the candidates that the format readers found.
//!
//! Every reader (HTML meta tags, JSON-LD, a Markdown date line, a signature, the URL) adds
//! candidates with a source and a confidence; this module keeps the most trusted one, raises
//! the confidence of a date that two independent sources agree on, and falls back to what the
//! body text implies (language, a "not before" date). It never invents a value: no candidate,
//! no value (an undated article stays undated).

use crate::ingest::{dates, urls};
use crate::model::{Field, MetaSource, Metadata, Published};

/// Candidate values for each metadata field, in the order they were found.
#[derive(Debug, Default)]
pub struct Candidates {
    pub title: Vec<Field<String>>,
    pub outlet: Vec<Field<String>>,
    pub url: Vec<Field<String>>,
    pub author: Vec<Field<String>>,
    pub language: Vec<Field<String>>,
    pub published: Vec<Field<Published>>,
    /// Domains that the document names as its own (a bare domain line in its footer).
    pub domains: Vec<String>,
    pub crawled: Option<String>,
    /// Whole lines read as metadata that are not article text (a signature, a source line),
    /// with what they gave: the cleaner removes them as source lines.
    pub furniture_lines: Vec<(String, &'static str)>,
    /// An outlet lead-in that opens the first paragraph ("outlet : "), as written.
    pub lead_in: Option<String>,
    /// Reader comments found on an HTML page, one per line of the extractor's output.
    pub comments: Vec<String>,
}

/// What parsing hands to the store besides the metadata: the domain the outlet registry uses
/// to recognise the outlet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutletHint {
    pub domain: Option<String>,
}

impl Candidates {
    pub fn add_url(&mut self, raw: &str, source: MetaSource, confidence: f32) {
        if let Some(url) = urls::normalize(raw) {
            self.url
                .push(Field::new(url, source, confidence).with_evidence(raw.trim()));
        }
    }

    pub fn add_date(&mut self, raw: &str, source: MetaSource, confidence: f32) {
        if let Some(p) = dates::parse_date_value(raw) {
            self.published
                .push(Field::new(p, source, confidence).with_evidence(raw.trim()));
        }
    }

    pub fn add_text(list: &mut Vec<Field<String>>, raw: &str, source: MetaSource, confidence: f32) {
        let value = crate::ingest::text::fold_whitespace(raw);
        if !value.is_empty() && value.chars().count() <= 300 {
            list.push(Field::new(value, source, confidence).with_evidence(raw.trim()));
        }
    }

    /// Pick the values. `body` is the article text, used for language and as a last resort
    /// for the date.
    pub fn resolve(mut self, body: &str) -> (Metadata, OutletHint) {
        // What the URL says: a date in its path, words in its slug, its domain.
        let url = best(&self.url);
        let mut domain = None;
        if let Some(url) = &url {
            if let Ok(parsed) = url::Url::parse(&url.value) {
                if let Some(p) = dates::date_from_url_path(parsed.path()) {
                    self.published
                        .push(Field::new(p, MetaSource::UrlPath, 0.7).with_evidence(parsed.path()));
                }
            }
            // The slug is the title of last resort; recasing it reads the whole body.
            let slug = self
                .title
                .is_empty()
                .then(|| urls::slug_title(&url.value))
                .flatten();
            if let Some(slug) = slug.map(|t| recase(&t, body)) {
                self.title.push(
                    Field::new(slug, MetaSource::UrlSlug, 0.3).with_evidence(url.value.clone()),
                );
            }
            domain = urls::domain(&url.value);
        }
        let domain =
            domain.or_else(|| self.domains.first().map(|d| urls::bare_host(d).to_string()));
        let published = best_date(&self.published).or_else(|| date_from_text(body));
        let language = best(&self.language).or_else(|| detect_language(body));
        let outlet = best(&self.outlet);
        let title = best(&self.title).map(|t| match headline_in_title(&t, body) {
            Some(headline) => Field::new(headline.to_string(), t.source, t.confidence)
                .with_evidence(t.evidence.clone().unwrap_or_else(|| t.value.clone())),
            None => t,
        });
        let meta = Metadata {
            title,
            outlet,
            url,
            author: best(&self.author),
            language,
            published,
            crawled: self.crawled,
        };
        (meta, OutletHint { domain })
    }
}

/// Give the words of a title read from a URL slug the case the body writes them in
/// ("syria" -> "Syria", "usa" -> "USA").
fn recase(title: &str, body: &str) -> String {
    use std::collections::HashMap;
    let mut forms: HashMap<String, HashMap<&str, usize>> = HashMap::new();
    for word in body
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *forms
            .entry(word.to_lowercase())
            .or_default()
            .entry(word)
            .or_default() += 1;
    }
    let mut out: Vec<String> = Vec::new();
    for (i, word) in title.split(' ').enumerate() {
        let best = forms.get(&word.to_lowercase()).and_then(|f| {
            // The most frequent form; ties go to the one that sorts first, for determinism.
            f.iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(w, _)| w.to_string())
        });
        let word = match best {
            Some(form) if i > 0 => form,
            _ => word.to_string(),
        };
        out.push(word);
    }
    out.join(" ")
}

/// The most confident candidate; the first found wins a tie.
/// A page's `<title>` often wraps the headline in the site's name ("Site: Headline",
/// "Headline, Tagline : site.com"). When one of the first lines of the body is a part of the
/// title that stands between separators, that line is the headline (the longest such line:
/// the site's name may stand in the body too).
fn headline_in_title<'a>(title: &Field<String>, body: &'a str) -> Option<&'a str> {
    if title.source != MetaSource::TitleLine {
        return None;
    }
    let full = title.evidence.as_deref().unwrap_or(&title.value);
    let full = crate::ingest::text::fold_whitespace(full);
    let apart = |s: &str, at_end: bool| {
        let s = s.trim();
        let c = if at_end {
            s.chars().next_back()
        } else {
            s.chars().next()
        };
        c.is_none_or(|c| !c.is_alphanumeric() && !matches!(c, '"' | '\'' | '(' | ')'))
    };
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(6)
        .filter(|line| {
            let words = line.split_whitespace().count();
            if !(2..=30).contains(&words) || line.len() >= full.len() {
                return false;
            }
            full.match_indices(*line)
                .any(|(at, _)| apart(&full[..at], true) && apart(&full[at + line.len()..], false))
        })
        .max_by_key(|line| line.len())
}

fn best<T: Clone>(list: &[Field<T>]) -> Option<Field<T>> {
    let mut best: Option<&Field<T>> = None;
    for f in list {
        if best.is_none_or(|b| f.confidence > b.confidence) {
            best = Some(f);
        }
    }
    best.cloned()
}

/// The best date, more trusted when another source of a different kind agrees on the day.
fn best_date(list: &[Field<Published>]) -> Option<Field<Published>> {
    let mut chosen = best(list)?;
    let agrees = list
        .iter()
        .any(|f| f.source != chosen.source && f.value.date == chosen.value.date);
    if agrees {
        chosen.confidence = (chosen.confidence + 0.1).min(0.99);
    }
    Some(chosen)
}

/// With no stated date, the latest full date the text mentions is a lower bound: the article
/// cannot be older than the events it reports.
fn date_from_text(body: &str) -> Option<Field<Published>> {
    let found = dates::find_dates(body);
    let latest = found
        .iter()
        .filter(|f| f.published.granularity == crate::model::Granularity::Day)
        .max_by_key(|f| f.published.date)?;
    let mut published = latest.published.clone();
    published.not_before = true;
    Some(
        Field::new(published, MetaSource::Text, 0.3).with_evidence(format!(
            "latest date the text mentions: \"{}\"; published on or after it",
            &body[latest.start..latest.end]
        )),
    )
}

/// ISO 639-1 code of the body's language, when the detector is confident.
fn detect_language(body: &str) -> Option<Field<String>> {
    // A thousand characters are plenty for the detector and keep it off the profile.
    let sample: String = body.chars().take(1000).collect();
    if sample.split_whitespace().count() < 8 {
        return None;
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = iso639_1(info.lang().code()).unwrap_or(info.lang().code());
    Some(Field::new(
        code.to_string(),
        MetaSource::Text,
        info.confidence() as f32,
    ))
}

/// ISO 639-3 to ISO 639-1 for the languages news is mostly written in.
fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "eng" => "en",
        "rus" => "ru",
        "fra" => "fr",
        "deu" => "de",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "nld" => "nl",
        "pol" => "pl",
        "ukr" => "uk",
        "tur" => "tr",
        "ara" => "ar",
        "pes" => "fa",
        "heb" => "he",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "hin" => "hi",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "no",
        "fin" => "fi",
        "ces" => "cs",
        "ell" => "el",
        "ron" => "ro",
        "hun" => "hu",
        "bul" => "bg",
        "srp" => "sr",
        "hrv" => "hr",
        "ind" => "id",
        "vie" => "vi",
        "tha" => "th",
        "urd" => "ur",
        "ben" => "bn",
        _ => return None,
    })
}

/// Normalise a language tag from markup or a record ("en-US", "eng") to ISO 639-1 when known.
pub fn language_tag(raw: &str) -> Option<String> {
    let primary = raw.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.len() {
        2 if primary.chars().all(|c| c.is_ascii_alphabetic()) => Some(primary),
        3 => Some(iso639_1(&primary).map(str::to_string).unwrap_or(primary)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headline_is_taken_out_of_a_site_title() {
        let title =
            |raw: &str| Field::new(raw.to_string(), MetaSource::TitleLine, 0.6).with_evidence(raw);
        let body = "Site Blog\n\nStorm closes the harbour\n\nThe harbour closed on Monday.";
        for raw in [
            "Site Blog: Storm closes the harbour",
            "Storm closes the harbour, news and views : site.example",
            "Site Blog » Archive » Storm closes the harbour",
        ] {
            assert_eq!(
                headline_in_title(&title(raw), body),
                Some("Storm closes the harbour"),
                "{raw}"
            );
        }
        // Words inside a title are not a headline; nor is a title from another source.
        assert_eq!(
            headline_in_title(&title("Storm closes the harbourmaster's office"), body),
            None
        );
        let og = Field::new(
            "Site Blog: Storm closes the harbour".to_string(),
            MetaSource::MetaTag,
            0.85,
        );
        assert_eq!(headline_in_title(&og, body), None);
    }

    #[test]
    fn most_confident_wins_and_agreement_raises_confidence() {
        let mut c = Candidates::default();
        c.add_date("15.07.2016", MetaSource::Signature, 0.7);
        c.add_url(
            "http://example.me/2016/07/15/a-b-c/",
            MetaSource::SourceLine,
            0.8,
        );
        let (meta, hint) = c.resolve("");
        let p = meta.published.unwrap();
        assert_eq!(p.value.date.to_string(), "2016-07-15");
        assert!(p.confidence > 0.7);
        assert_eq!(hint.domain.as_deref(), Some("example.me"));
        assert_eq!(meta.title.unwrap().source, MetaSource::UrlSlug);
    }

    #[test]
    fn undated_stays_undated_and_text_gives_a_lower_bound() {
        let (meta, _) = Candidates::default().resolve("No dates here at all.");
        assert!(meta.published.is_none());
        let body = "It began on November 16, 2015. Talks were held on July 6, 2016 in the capital.";
        let (meta, _) = Candidates::default().resolve(body);
        let p = meta.published.unwrap();
        assert_eq!(p.value.date.to_string(), "2016-07-06");
        assert!(p.value.not_before);
        assert_eq!(p.source, MetaSource::Text);
    }

    #[test]
    fn language_tags() {
        assert_eq!(language_tag("en-US").as_deref(), Some("en"));
        assert_eq!(language_tag("rus").as_deref(), Some("ru"));
        assert_eq!(language_tag("x"), None);
    }
}
