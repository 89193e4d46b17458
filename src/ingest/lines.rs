//! Metadata that text and Markdown documents carry in their own lines: a title line, a date
//! line, an outlet line and a byline at the top; a source line, a signature and lines that name
//! the outlet at the bottom; a wire-style lead-in ("CITY (Outlet) —", "outlet : ").
//!
//! The header lines that only carry metadata are taken out of the body. Lines at the bottom stay
//! in the body: they are outlet furniture, which the cleaner removes and annotates. No pattern
//! here names an outlet.

use crate::ingest::meta::Candidates;
use crate::ingest::text::{ends_sentence, is_title_like, Block};
use crate::ingest::{dates, urls};
use crate::model::MetaSource;
use regex::Regex;
use std::sync::OnceLock;

/// How many blocks at the top may be header lines.
const HEADER_BLOCKS: usize = 6;
/// How many blocks at the bottom are searched for source lines and signatures.
const FOOTER_BLOCKS: usize = 10;

struct Patterns {
    byline: Regex,
    source_line: Regex,
    signature: Regex,
    message_from: Regex,
    possessive_site: Regex,
    copyright: Regex,
    lead_in: Regex,
    wire_dateline: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("valid line regex");
        Patterns {
            byline: re(r"^(?i:by|author:|written by|words by)\s+(\p{Lu}[\p{L}.'’-]+(?:\s+(?:\p{Lu}[\p{L}.'’-]+|and|&|de|van|von|al-\p{L}+))*)\s*(?:[|,·•–—-]\s*(.*))?$"),
            source_line: re(r"^(?i:original\s+url|original\s+article|source\s+article\s+from|source|originally\s+published\s+(?:at|on|by)|read\s+more\s+at|read\s+the\s+original(?:\s+article)?\s+at|via)\s*:?\s*(\S*)$"),
            signature: re(r"^(\S{1,12})\s+[–—-]\s+(.{2,40}?)\s+(\d{1,2}\.\d{1,2}\.\d{4})$"),
            message_from: re(r"^(?i:a\s+)?(?i:message|note|a word)\s+from\s+(.{2,50}?)\s*:?$"),
            // "X's website can also be accessed at:", not "The bank's website was down."
            possessive_site: re(r"^(.{2,40}?)(?:'s|’s)\s+(?i:website|site|web\s+site)\b.*(?::|https?://\S+|www\.\S+)$"),
            // "© 2016 X", "Copyright 2016 X", "Copyright © X": a symbol or a year, never a bare word.
            copyright: re(r"^(?:(?:©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?|(?i:copyright)\s*(?:©|\(c\))?\s*\d{4}(?:\s*[-–]\s*\d{4})?|(?i:copyright)\s*(?:©|\(c\)))\s*(.{2,60}?)[.,]?(?:\s+(?i:all rights reserved).*)?$"),
            lead_in: re(r"^([\p{L}\p{N}][\p{L}\p{N} .&'’-]{1,30}?)\s+:\s+\p{Lu}"),
            wire_dateline: re(r"^\p{Lu}[\p{Lu} .,'’-]{1,40}\s*\(([^)]{2,40})\)\s*[-–—]+\s+\p{Lu}"),
        }
    })
}

/// Read the metadata lines of a text or Markdown document into `cands`; return the body
/// without its header lines.
pub fn read(mut blocks: Vec<Block>, cands: &mut Candidates) -> Vec<Block> {
    let mut taken = read_header(&blocks, cands);
    // Header lines are never the whole document: keep at least one block as the body.
    if taken.len() >= blocks.len() {
        taken.pop();
    }
    read_lead_in(&blocks, &taken, cands);
    read_footer(&blocks, cands);
    let mut index = 0;
    blocks.retain(|_| {
        let keep = !taken.contains(&index);
        index += 1;
        keep
    });
    blocks
}

/// A block that belongs to the body proper: a full sentence of some length.
fn is_body_block(b: &Block) -> bool {
    let words = b.text.split_whitespace().count();
    !b.heading && (words >= 25 || (words >= 10 && ends_sentence(&b.text)))
}

fn is_breadcrumb(text: &str) -> bool {
    let seps = ['/', '>', '»', '|', '›'];
    let parts: Vec<&str> = text.split(&seps[..]).map(str::trim).collect();
    parts.len() >= 2
        && parts.len() <= 8
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.split_whitespace().count() <= 4)
        && urls::as_url_line(text).is_none()
}

/// A byline names someone and stops: "By Tuesday, the talks had collapsed." is a sentence.
fn is_byline(line: &str, name: &str) -> bool {
    const NOT_NAMES: [&str; 19] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
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
    let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
    let is_sentence = line.ends_with('.') && line.split_whitespace().count() > 6;
    !(NOT_NAMES.contains(&first.as_str()) || is_sentence)
}

/// "Example Media Ltd, 14 Harbour Row" -> "Example": the name without address or company form.
fn company_name(s: &str) -> &str {
    const FORMS: [&str; 12] = [
        " Ltd", " Ltd.", " Limited", " Inc", " Inc.", " LLC", " plc", " GmbH", " Corp", " Group",
        " Media", " Company",
    ];
    let mut name = s.split(',').next().unwrap_or(s).trim();
    loop {
        // "X 2011", "X 2009-2012": the years of a copyright line that names the owner first.
        let year = name.rsplit_once(' ').filter(|(_, y)| {
            !y.is_empty()
                && y.split(['-', '–']).all(|p| {
                    p.is_empty() || (p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))
                })
        });
        if let Some((rest, _)) = year {
            name = rest.trim_end();
        } else if let Some(stripped) = FORMS.iter().find_map(|f| name.strip_suffix(f)) {
            name = stripped.trim_end();
        } else {
            break;
        }
    }
    if name.chars().any(char::is_alphabetic) {
        name
    } else {
        ""
    }
}

/// Returns the indices of the header blocks that were read as metadata.
fn read_header(blocks: &[Block], cands: &mut Candidates) -> Vec<usize> {
    let p = patterns();
    let mut taken = Vec::new();
    let mut have_title = false;
    // A title the container stated (a JSON record's field): the body's first line is taken
    // out only if it repeats that title, never read as a competing one.
    let key = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let stated_title = cands
        .title
        .iter()
        .find(|t| t.confidence >= 0.9)
        .map(|t| key(&t.value));
    for (i, block) in blocks.iter().enumerate().take(HEADER_BLOCKS) {
        if is_body_block(block) {
            break;
        }
        let text = block.text.as_str();
        if read_separated_line(text, &mut have_title, cands) {
            taken.push(i);
            continue;
        }
        if is_breadcrumb(text) {
            continue;
        }
        if let Some(url) = urls::as_url_line(text).filter(|u| u.starts_with("http")) {
            cands.add_url(url, MetaSource::SourceLine, 0.75);
            taken.push(i);
        } else if let Some(date) = dates::is_date_line(text) {
            cands.published.push(
                crate::model::Field::new(date, MetaSource::Dateline, 0.85).with_evidence(text),
            );
            taken.push(i);
        } else if let Some(c) = p.byline.captures(text).filter(|c| is_byline(text, &c[1])) {
            Candidates::add_text(&mut cands.author, &c[1], MetaSource::Byline, 0.8);
            if let Some(rest) = c.get(2) {
                cands.add_date(rest.as_str(), MetaSource::Byline, 0.8);
            }
            taken.push(i);
        } else if block.emphasised
            && !block.heading
            && have_title
            && text.split_whitespace().count() <= 6
        {
            Candidates::add_text(&mut cands.outlet, text, MetaSource::OutletLine, 0.75);
            taken.push(i);
        } else if !have_title
            && (block.heading || is_title_like(text) || !ends_sentence(text))
            && text.split_whitespace().count() <= 30
            && text.split_whitespace().count() >= 2
        {
            have_title = true;
            if let Some(stated) = &stated_title {
                if key(text) == *stated {
                    taken.push(i);
                }
                continue;
            }
            let confidence = if block.heading { 0.75 } else { 0.6 };
            Candidates::add_text(&mut cands.title, text, MetaSource::TitleLine, confidence);
            taken.push(i);
        }
    }
    taken
}

/// Header lines made of parts: "Outlet | Section | Friday 23 May 2025", "Outlet · by Name",
/// "Headline | Outlet". Returns whether the line was read as metadata.
fn read_separated_line(text: &str, have_title: &mut bool, cands: &mut Candidates) -> bool {
    let mut parts: Vec<&str> = vec![text];
    for sep in [" | ", " · ", " • ", " — ", " – "] {
        parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
    }
    // "Outlet, by Name" holds two parts as well.
    let parts: Vec<&str> = parts
        .into_iter()
        .flat_map(|p| match p.find(", by ") {
            Some(i) => vec![&p[..i], &p[i + 2..]],
            None => vec![p],
        })
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 || parts.iter().any(|p| p.split_whitespace().count() > 20) {
        return false;
    }
    let p = patterns();
    let mut others = Vec::new();
    let mut found = false;
    for part in &parts {
        if let Some(c) = p.byline.captures(part).filter(|c| is_byline(part, &c[1])) {
            Candidates::add_text(&mut cands.author, &c[1], MetaSource::Byline, 0.8);
            found = true;
        } else if let Some(date) = dates::is_date_line(part) {
            let field = crate::model::Field::new(date, MetaSource::Byline, 0.8)
                .with_evidence(part.to_string());
            cands.published.push(field);
            found = true;
        } else {
            others.push(*part);
        }
    }
    if found {
        if let Some(outlet) = others.first().filter(|o| o.split_whitespace().count() <= 5) {
            Candidates::add_text(&mut cands.outlet, outlet, MetaSource::OutletLine, 0.7);
        }
        return true;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    let name_like = |p: &str| {
        let words: Vec<&str> = p.split_whitespace().collect();
        words.len() <= 4
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    };
    // "Outlet | Author Name" under the title.
    if *have_title
        && parts.len() == 2
        && name_like(first)
        && name_like(last)
        && last.split_whitespace().count() >= 2
    {
        Candidates::add_text(&mut cands.outlet, first, MetaSource::OutletLine, 0.6);
        Candidates::add_text(&mut cands.author, last, MetaSource::Byline, 0.5);
        return true;
    }
    if !*have_title
        && parts.len() == 2
        && first.split_whitespace().count() >= 4
        && last.split_whitespace().count() <= 5
    {
        Candidates::add_text(&mut cands.title, first, MetaSource::TitleLine, 0.6);
        Candidates::add_text(&mut cands.outlet, last, MetaSource::OutletLine, 0.55);
        *have_title = true;
        return true;
    }
    false
}

/// The start of the first body block: "MOSCOW (Outlet) — ..." or "outlet : ...".
fn read_lead_in(blocks: &[Block], taken: &[usize], cands: &mut Candidates) {
    let p = patterns();
    let first = blocks
        .iter()
        .enumerate()
        .find(|(i, b)| !taken.contains(i) && !is_breadcrumb(&b.text));
    let Some((_, first)) = first else {
        return;
    };
    if let Some(c) = p.wire_dateline.captures(&first.text) {
        Candidates::add_text(&mut cands.outlet, &c[1], MetaSource::Dateline, 0.6);
    } else if let Some(c) = p.lead_in.captures(&first.text) {
        Candidates::add_text(&mut cands.outlet, &c[1], MetaSource::OutletLine, 0.55);
        let name_end = c.get(1).map_or(0, |m| m.end());
        if let Some(colon) = first.text[name_end..].find(':') {
            cands.lead_in = Some(first.text[..name_end + colon + 1].to_string());
        }
    }
}

fn read_footer(blocks: &[Block], cands: &mut Candidates) {
    let p = patterns();
    let start = blocks.len().saturating_sub(FOOTER_BLOCKS);
    for (i, block) in blocks.iter().enumerate().skip(start) {
        let text = block.text.as_str();
        if let Some(c) = p.source_line.captures(text) {
            let inline = c.get(1).map(|m| m.as_str()).filter(|s| !s.is_empty());
            let next = blocks.get(i + 1).and_then(|b| urls::as_url_line(&b.text));
            if let Some(url) = inline.or(next) {
                cands.add_url(url, MetaSource::SourceLine, 0.8);
            }
            cands
                .furniture_lines
                .push((text.to_string(), "source line"));
            if inline.is_none() && next.is_some() {
                cands
                    .furniture_lines
                    .push((blocks[i + 1].text.clone(), "source address"));
            }
        } else if let Some(c) = p.signature.captures(text) {
            Candidates::add_text(&mut cands.author, &c[1], MetaSource::Signature, 0.5);
            Candidates::add_text(&mut cands.outlet, &c[2], MetaSource::Signature, 0.65);
            cands.add_date(&c[3], MetaSource::Signature, 0.7);
            cands.furniture_lines.push((text.to_string(), "signature"));
        } else if let Some(c) = p.message_from.captures(text) {
            Candidates::add_text(&mut cands.outlet, &c[1], MetaSource::FurnitureLine, 0.5);
        } else if let Some(c) = p.possessive_site.captures(text) {
            Candidates::add_text(&mut cands.outlet, &c[1], MetaSource::FurnitureLine, 0.5);
        } else if let Some(c) = p.copyright.captures(text) {
            Candidates::add_text(
                &mut cands.outlet,
                company_name(&c[1]),
                MetaSource::FurnitureLine,
                0.5,
            );
        } else if let Some(u) = urls::as_url_line(text) {
            let previous_is_source = i > 0 && p.source_line.is_match(&blocks[i - 1].text);
            if !previous_is_source && !u.starts_with("http") {
                cands
                    .domains
                    .push(u.trim_end_matches('/').to_ascii_lowercase());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::{markdown_blocks, text_blocks};

    #[test]
    fn markdown_header_becomes_metadata() {
        let md = "Talks Resume In The Capital\n\nMarch 3, 2025\n\nThe **Harbour Gazette**\n\nThe talks resumed on Monday after a week of delays, officials said.\n\nOriginal url:\n\n<https://harbour.example/2025/03/03/talks-resume-in-the-capital>\n";
        let mut c = Candidates::default();
        let body = read(markdown_blocks(md), &mut c);
        assert_eq!(body.len(), 3);
        let (meta, hint) = c.resolve("");
        assert_eq!(meta.title.unwrap().value, "Talks Resume In The Capital");
        assert_eq!(meta.outlet.unwrap().value, "The Harbour Gazette");
        assert_eq!(meta.published.unwrap().value.date.to_string(), "2025-03-03");
        assert_eq!(meta.url.unwrap().source, MetaSource::SourceLine);
        assert_eq!(hint.domain.as_deref(), Some("harbour.example"));
    }

    #[test]
    fn plain_text_without_header_keeps_every_paragraph() {
        let text = "The minister said on Monday that the talks would resume next week in the capital.\nA second paragraph follows here.";
        let mut c = Candidates::default();
        let body = read(text_blocks(text), &mut c);
        assert_eq!(body.len(), 2);
        assert!(c.title.is_empty());
    }

    #[test]
    fn signature_lead_in_and_furniture_name_the_outlet() {
        let text = "ledger : Officials met on Monday to discuss the port and agreed to meet again soon.\nAB – ledger 03.03.2025\nA Message from The Northfield Ledger:\nwww.ledger.example";
        let mut c = Candidates::default();
        read(text_blocks(text), &mut c);
        let names: Vec<_> = c.outlet.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(names, vec!["ledger", "ledger", "The Northfield Ledger"]);
        assert_eq!(c.domains, vec!["www.ledger.example"]);
        assert_eq!(c.published[0].value.date.to_string(), "2025-03-03");
    }

    #[test]
    fn separated_header_lines() {
        let text = "Talks stall over fishing quotas as deadline passes\nThe Ledger | Business | Friday 23 May 2025\nBy Gareth Moll\nhttps://ledger.example/2025/05/23/talks-stall\n\nTrade talks ended their scheduled run on Friday without an agreement, officials said.";
        let mut c = Candidates::default();
        let body = read(text_blocks(text), &mut c);
        assert_eq!(body.len(), 1);
        let (meta, _) = c.resolve("");
        assert_eq!(
            meta.title.unwrap().value,
            "Talks stall over fishing quotas as deadline passes"
        );
        assert_eq!(meta.outlet.unwrap().value, "The Ledger");
        assert_eq!(meta.author.unwrap().value, "Gareth Moll");
        assert_eq!(meta.published.unwrap().value.date.to_string(), "2025-05-23");
        let mut c = Candidates::default();
        read(text_blocks("Dock strike ends with a deal on pay | Harbour Gazette\nThe strike ended on Thursday after the union accepted a mediated deal."), &mut c);
        assert_eq!(c.outlet[0].value, "Harbour Gazette");
        assert_eq!(
            company_name("Harbour Gazette Media Ltd, 14 Harbour Row"),
            "Harbour Gazette"
        );
    }

    #[test]
    fn a_stated_title_keeps_a_short_first_paragraph_in_the_body() {
        let mut c = Candidates::default();
        Candidates::add_text(&mut c.title, "Harbour Reopens", MetaSource::Record, 0.95);
        let body = read(text_blocks("A quiet morning at last\n\nThe harbour reopened on Monday after a week of repairs, officials said."), &mut c);
        assert_eq!(body.len(), 2);
        let body = read(text_blocks("Harbour reopens\n\nThe harbour reopened on Monday after a week of repairs, officials said."), &mut c);
        assert_eq!(body.len(), 1);
        assert_eq!(c.title.len(), 1);
    }

    #[test]
    fn ordinary_sentences_are_not_metadata() {
        // Regressions from the review of issue 2.
        let mut c = Candidates::default();
        let body = read(text_blocks("By Tuesday, the talks had collapsed.\n\nThe ministers flew home on Wednesday without a statement, aides said."), &mut c);
        assert_eq!(body.len(), 2);
        assert!(c.author.is_empty());
        let mut c = Candidates::default();
        read(text_blocks("The strike went on for a week and cost the port dearly in lost trade.\nThe bank's website was down for most of Sunday.\nCopyright holders welcomed the ruling."), &mut c);
        assert!(c.outlet.is_empty(), "{:?}", c.outlet);
        let mut c = Candidates::default();
        let body = read(
            text_blocks("Inflation rose again in March — to 4.1%."),
            &mut c,
        );
        assert_eq!(body.len(), 1);
        let mut c = Candidates::default();
        read(text_blocks("The port reopened on Monday after repairs to the harbour wall were finished.\nPress TV’s website can also be accessed at the following alternate addresses:\n© 2025 Harbour Gazette Media Ltd. All rights reserved."), &mut c);
        let names: Vec<_> = c.outlet.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(names, vec!["Press TV", "Harbour Gazette"]);
    }

    #[test]
    fn breadcrumb_is_skipped_for_the_title() {
        let text = "News / Region\n\nPort Strike Enters Its Second Week\n\nDock workers stayed away from the harbour for an eighth day on Tuesday, union leaders said.";
        let mut c = Candidates::default();
        let body = read(text_blocks(text), &mut c);
        assert_eq!(c.title[0].value, "Port Strike Enters Its Second Week");
        assert_eq!(body[0].text, "News / Region");
    }

    /// Issue 3 (Dragnet pages R870-R879): a copyright line naming its owner before the year
    /// gave the outlet "47Hats.com 2011", and a bare "© 2011 - 2012" the outlet "2011".
    #[test]
    fn copyright_years_are_not_part_of_the_outlet() {
        assert_eq!(
            company_name("Harbourgazette.example 2011"),
            "Harbourgazette.example"
        );
        assert_eq!(
            company_name("Harbour Gazette Media 2009-2012"),
            "Harbour Gazette"
        );
        assert_eq!(company_name("2011 - 2012"), "");
        assert_eq!(company_name("Harbour 24 Media"), "Harbour 24");
    }
}
