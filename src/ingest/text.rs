//! Plain text and Markdown to paragraphs.
//!
//! Crawled text arrives hard-wrapped at a column, one paragraph a line, or blank-line
//! separated, often mixed in one file; Markdown arrives with emphasis, links and stray blank
//! lines. Both become a list of [`Block`]s: one paragraph each, whitespace folded, markup gone.
//! Which blocks are metadata (title, date line, byline) is decided in `lines`, not here.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One paragraph of a document, with the little structure the metadata reader needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub text: String,
    /// A Markdown heading.
    pub heading: bool,
    /// Mostly bold or italic text (a Markdown outlet line such as `The **Outlet**`).
    pub emphasised: bool,
    /// A list item, table row or code block: never joined with its neighbours.
    pub structural: bool,
}

impl Block {
    pub fn plain(text: String) -> Block {
        Block {
            text,
            heading: false,
            emphasised: false,
            structural: false,
        }
    }
}

/// Above this many characters a line is a paragraph of its own, not a hard-wrapped line.
const MAX_WRAPPED_LINE: usize = 200;
/// Below this many characters a line without final punctuation is a heading or a label
/// ("Dear readers,", "Related posts"), not the first part of a wrapped paragraph.
const MIN_WRAPPED_LINE: usize = 30;

/// Split plain text into paragraphs: blank lines separate paragraphs; within a run of lines,
/// a line that breaks mid-sentence continues into the next one.
pub fn text_blocks(text: &str) -> Vec<Block> {
    // Lines holding only spaces are blank lines too.
    let text: Vec<&str> = text.lines().map(str::trim_end).collect();
    let text = text.join("\n");
    let mut paragraphs: Vec<String> = Vec::new();
    for (run_index, run) in text.split("\n\n").enumerate() {
        let lines: Vec<String> = run
            .lines()
            .map(fold_whitespace)
            .filter(|l| !l.is_empty())
            .collect();
        let widest = lines
            .iter()
            .map(|l| l.chars().count())
            .filter(|&n| n <= MAX_WRAPPED_LINE)
            .max()
            .unwrap_or(0);
        let mut current = String::new();
        for (i, line) in lines.iter().enumerate() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
            let joins = lines.get(i + 1).is_some_and(|next| {
                // The document's first line is a headline unless the run is visibly wrapped
                // at a column and the line fills it.
                let first = run_index == 0 && i == 0;
                let fills_column = lines.len() >= 3 && line.chars().count() + 10 >= widest;
                continues(line, next)
                    && (!first
                        || starts_lowercase(next)
                        || fills_column
                        || ends_with_abbreviation(line))
            });
            if !joins {
                paragraphs.push(std::mem::take(&mut current));
            }
        }
    }
    rejoin_split_paragraphs(paragraphs.into_iter().map(Block::plain).collect())
}

/// Whether `line` is hard-wrapped and `next` carries on its sentence.
fn continues(line: &str, next: &str) -> bool {
    if starts_list_item(next) || ends_with_url(line) || is_label_line(line) || is_label_line(next) {
        return false;
    }
    if starts_lowercase(next) {
        return true;
    }
    let len = line.chars().count();
    if !(MIN_WRAPPED_LINE..=MAX_WRAPPED_LINE).contains(&len) {
        return false;
    }
    if ends_with_abbreviation(line) {
        return next.starts_with(|c: char| c.is_ascii_digit());
    }
    !ends_sentence(line) && !is_title_like(line)
}

/// Join paragraphs that a stray blank line cut in the middle of a sentence.
pub fn rejoin_split_paragraphs(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        if let Some(prev) = out.last_mut() {
            let mid_sentence = !prev.heading
                && !block.heading
                && !prev.structural
                && !block.structural
                && !ends_sentence(&prev.text)
                && !ends_with_url(&prev.text)
                && starts_lowercase(&block.text)
                && prev.text.chars().count() >= MIN_WRAPPED_LINE;
            if mid_sentence {
                prev.text.push(' ');
                prev.text.push_str(&block.text);
                continue;
            }
        }
        out.push(block);
    }
    out
}

/// Collapse every run of whitespace (including no-break spaces) to one space and trim.
pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A line that is a label of the page rather than prose: parts joined by " | " or " · ", a date
/// line, a URL, a byline.
fn is_label_line(s: &str) -> bool {
    s.contains(" | ")
        || s.contains(" · ")
        || s.contains(" • ")
        || crate::ingest::urls::as_url_line(s).is_some()
        || crate::ingest::dates::is_date_line(s).is_some()
        || (s.starts_with("By ") && s.chars().count() < 60)
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}

fn starts_list_item(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '+') => chars.next() == Some(' '),
        Some(c) if c.is_ascii_digit() => {
            let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    }
}

fn ends_with_url(s: &str) -> bool {
    s.rsplit(' ').next().is_some_and(|w| {
        w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www.")
    })
}

/// Whether a line ends a sentence: final punctuation, possibly inside closing quotes or
/// brackets, or a closing credit such as ". (AFP)".
pub fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end();
    if s.ends_with(')') {
        if let Some(open) = s.rfind('(') {
            let before = s[..open].trim_end();
            if before.ends_with(['.', '!', '?']) {
                return true;
            }
        }
    }
    let core = s.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_']);
    core.ends_with(['.', '!', '?', '…', ':', ';'])
}

fn ends_with_abbreviation(s: &str) -> bool {
    const ABBREVIATIONS: [&str; 22] = [
        "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.",
        "Dec.", "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Sen.", "Rep.", "Gov.", "St.", "No.",
    ];
    s.rsplit(' ')
        .next()
        .is_some_and(|w| ABBREVIATIONS.contains(&w))
}

/// A headline-like line: starts with a capital, most of its longer words capitalised, no
/// final full stop.
pub fn is_title_like(s: &str) -> bool {
    let starts_capital = s
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| !c.is_lowercase());
    if s.ends_with('.') || !starts_capital {
        return false;
    }
    let words: Vec<&str> = s
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 3)
        .collect();
    if words.is_empty() {
        return false;
    }
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    capitalised * 10 >= words.len() * 7
}

/// Markdown to paragraphs: headings, emphasis, links and images reduced to their text.
pub fn markdown_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut text_buf = String::new();
    let mut emphasised_chars = 0usize;
    let mut emphasis_depth = 0usize;
    let mut heading = false;
    let mut structural = 0usize;
    let flush = |buf: &mut String,
                 heading: bool,
                 structural: bool,
                 emph: usize,
                 blocks: &mut Vec<Block>| {
        let text = fold_whitespace(buf);
        buf.clear();
        if text.is_empty() {
            return;
        }
        let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
        blocks.push(Block {
            emphasised: letters > 0 && emph * 2 >= letters,
            text,
            heading,
            structural,
        });
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = true,
            Event::Start(Tag::Item | Tag::TableRow | Tag::TableHead | Tag::CodeBlock(_)) => {
                structural += 1
            }
            // An image (its alt text) is a block of its own, like the caption that follows it.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {
                flush(
                    &mut text_buf,
                    heading,
                    structural > 0,
                    emphasised_chars,
                    &mut blocks,
                );
                emphasised_chars = 0;
            }
            Event::Start(Tag::Strong | Tag::Emphasis) => emphasis_depth += 1,
            Event::End(TagEnd::Strong | TagEnd::Emphasis) => {
                emphasis_depth = emphasis_depth.saturating_sub(1)
            }
            Event::Text(t) | Event::Code(t) => {
                if emphasis_depth > 0 {
                    emphasised_chars += t.chars().filter(|c| c.is_alphanumeric()).count();
                }
                text_buf.push_str(&t);
            }
            Event::InlineHtml(h) | Event::Html(h) => text_buf.push_str(&strip_tags(&h)),
            Event::SoftBreak | Event::HardBreak => text_buf.push(' '),
            Event::End(TagEnd::TableCell) => text_buf.push_str(" | "),
            Event::End(
                event_end @ (TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead),
            ) => {
                let trimmed = text_buf.trim_end().trim_end_matches('|').to_string();
                text_buf = trimmed;
                flush(
                    &mut text_buf,
                    heading,
                    structural > 0,
                    emphasised_chars,
                    &mut blocks,
                );
                heading = false;
                emphasised_chars = 0;
                if !matches!(event_end, TagEnd::Paragraph | TagEnd::Heading(_)) {
                    structural = structural.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    flush(
        &mut text_buf,
        heading,
        structural > 0,
        emphasised_chars,
        &mut blocks,
    );
    rejoin_split_paragraphs(blocks)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: Vec<Block>) -> Vec<String> {
        blocks.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn rejoins_hard_wrapped_lines() {
        let input = "A single line paragraph that ends here.\nThe second paragraph was wrapped at a\nfixed column by the crawler and goes\non.\nDear readers,\nShort line two.";
        assert_eq!(
            texts(text_blocks(input)),
            vec![
                "A single line paragraph that ends here.",
                "The second paragraph was wrapped at a fixed column by the crawler and goes on.",
                "Dear readers,",
                "Short line two.",
            ]
        );
    }

    #[test]
    fn keeps_headings_labels_and_url_lines_apart() {
        let input = "Officials Meet In The Capital Over Talks\nThe talks went on all night.\nSource Article from http://example.org/a/b/\nRelated posts:\nViews: 0";
        assert_eq!(texts(text_blocks(input)).len(), 5);
    }

    #[test]
    fn abbreviation_at_line_end_continues_before_a_number() {
        let input =
            "The ceasefire began at sundown on Sept.\n12 in order to deliver aid to the city.";
        assert_eq!(texts(text_blocks(input)).len(), 1);
    }

    #[test]
    fn blank_line_mid_sentence_is_rejoined() {
        let input =
            "A ceasefire between the two forces began at\n\nsundown on the day.\n\nNext one.";
        assert_eq!(
            texts(text_blocks(input)),
            vec![
                "A ceasefire between the two forces began at sundown on the day.",
                "Next one."
            ]
        );
    }

    #[test]
    fn markdown_reduced_to_text() {
        let md = "# Head line\n\nThe  **Outlet Name**\n\nHe [said Tuesday](#) that ![alt text](x.png) it\nworked.\n\n<https://example.org/x>\n";
        let blocks = markdown_blocks(md);
        assert_eq!(blocks[0].text, "Head line");
        assert!(blocks[0].heading);
        assert_eq!(blocks[1].text, "The Outlet Name");
        assert!(blocks[1].emphasised);
        assert_eq!(blocks[2].text, "He said Tuesday that");
        assert_eq!(blocks[3].text, "alt text");
        assert_eq!(blocks[4].text, "it worked.");
        assert_eq!(blocks[5].text, "https://example.org/x");
    }

    #[test]
    fn headlines_lists_and_blank_looking_lines_stay_apart() {
        // Regressions from the review of issue 2.
        let text = "Government announces new plan for housing\nThe government on Monday set out a plan to build homes.";
        assert_eq!(text_blocks(text).len(), 2);
        assert_eq!(
            text_blocks("First paragraph ends without a stop\n   \nSecond one.").len(),
            2
        );
        let md = "The ministers agreed to:\n\n- reduce the tariffs on steel\n- end the ban on fishing\n- release the prisoners\n";
        assert_eq!(markdown_blocks(md).len(), 4);
    }

    #[test]
    fn sentence_ends_inside_quotes_and_credits() {
        assert!(ends_sentence("labeled the group as “extremist.”"));
        assert!(!ends_sentence(
            "categorized the Front as “moderate opposition”"
        ));
        assert!(ends_sentence("talks in the capital. (AFP)"));
    }
}
