//! URLs as metadata: normalised for comparison (tracking parameters and fragments dropped),
//! their host as an outlet key, their path as a date or a title.
//!
//! Nothing here fetches anything.

use url::Url;

/// Query parameters that identify a campaign or a click, not a page.
fn is_tracking_param(name: &str) -> bool {
    const EXACT: [&str; 25] = [
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ocid",
        "cmpid",
        "smid",
        "sr_share",
        "ref_src",
        "ref_url",
        "__twitter_impression",
        "s_cid",
        "pk_campaign",
        "pk_kwd",
        "pk_keyword",
        "pk_source",
        "pk_medium",
        "pk_content",
        "pk_cid",
    ];
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || EXACT.contains(&lower.as_str())
}

/// Normalise a URL: lower-case scheme and host, no default port, no fragment, no tracking
/// parameters, no empty query. `None` when it is not an absolute http(s) URL.
pub fn normalize(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_matches(['<', '>']);
    let mut url = Url::parse(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    url.set_fragment(None);
    // Drop tracking parameters and keep every other byte of the query as it was
    // (`?12345` stays `?12345`, `%20` stays `%20`).
    let kept: Vec<String> = url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && !is_tracking_param(pair.split('=').next().unwrap_or("")))
        .map(str::to_string)
        .collect();
    url.set_query((!kept.is_empty()).then(|| kept.join("&")).as_deref());
    Some(url.to_string())
}

/// The host of a URL without `www.`, `m.` or `amp.`: the outlet's domain.
pub fn domain(url: &str) -> Option<String> {
    let url = Url::parse(url.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    Some(bare_host(&host).to_string())
}

/// Strip the prefixes that only say which edition of a site this is.
pub fn bare_host(host: &str) -> &str {
    let mut host = host.trim_end_matches('.');
    for prefix in ["www.", "m.", "amp.", "mobile."] {
        if let Some(rest) = host.strip_prefix(prefix) {
            if rest.contains('.') {
                host = rest;
            }
        }
    }
    host
}

/// Whether a line is nothing but a URL or a bare domain (`www.example.org`).
pub fn as_url_line(line: &str) -> Option<&str> {
    let t = line.trim().trim_matches(['<', '>']);
    if t.contains(char::is_whitespace) || t.is_empty() {
        return None;
    }
    if t.starts_with("http://") || t.starts_with("https://") {
        return Some(t);
    }
    let labels: Vec<&str> = t.trim_end_matches('/').split('.').collect();
    let ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    ok.then_some(t)
}

/// The part of a domain that names the outlet: `themoscowtimes.com` -> `themoscowtimes`,
/// `bbc.co.uk` -> `bbc`.
pub fn domain_stem(domain: &str) -> &str {
    let domain = bare_host(domain);
    let labels: Vec<&str> = domain.split('.').collect();
    let n = labels.len();
    if n < 2 {
        return domain;
    }
    // Two-part public suffixes such as co.uk and com.au.
    let second_level = ["co", "com", "org", "net", "ac", "gov", "or", "ne"];
    let stem_index = if n >= 3 && labels[n - 1].len() == 2 && second_level.contains(&labels[n - 2])
    {
        n - 3
    } else {
        n - 2
    };
    labels[stem_index]
}

/// The last path segment of a URL read as a title: `russia-and-usa-closer` -> "Russia and usa
/// closer". `None` when the segment is an id rather than words.
pub fn slug_title(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let segment = url
        .path_segments()?
        .rev()
        .find(|s| !s.is_empty())?
        .trim_end_matches(".html")
        .trim_end_matches(".htm")
        .trim_end_matches(".php");
    let words: Vec<&str> = segment
        .split(['-', '_'])
        .filter(|w| !(w.is_empty() || w.len() > 4 && w.chars().any(|c| c.is_ascii_digit())))
        .collect();
    if words.len() < 3
        || words
            .iter()
            .any(|w| !w.chars().all(|c| c.is_alphanumeric()))
    {
        return None;
    }
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title.replace_range(..1, &first.to_uppercase());
    }
    Some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_tracking_and_fragments() {
        assert_eq!(
            normalize("HTTPS://WWW.Example.org:443/a/b?utm_source=x&id=7&fbclid=y#top").as_deref(),
            Some("https://www.example.org/a/b?id=7")
        );
        assert_eq!(
            normalize("<https://example.org/a?utm_medium=z>").as_deref(),
            Some("https://example.org/a")
        );
        assert_eq!(normalize("ftp://example.org/"), None);
        // Regressions from the review of issue 2: the query is kept as written.
        assert_eq!(
            normalize("https://x.org/story.php?12345").as_deref(),
            Some("https://x.org/story.php?12345")
        );
        assert_eq!(
            normalize("https://x.org/s?q=a%20b&pk_id=77&utm_x=1").as_deref(),
            Some("https://x.org/s?q=a%20b&pk_id=77")
        );
        assert_eq!(normalize("#"), None);
    }

    #[test]
    fn domains_and_stems() {
        assert_eq!(
            domain("https://www.themoscowtimes.com/x").as_deref(),
            Some("themoscowtimes.com")
        );
        assert_eq!(domain_stem("news.bbc.co.uk"), "bbc");
        assert_eq!(domain_stem("nsnbc.me"), "nsnbc");
        assert_eq!(as_url_line("www.example.ir"), Some("www.example.ir"));
        assert_eq!(as_url_line("Views: 0"), None);
    }

    #[test]
    fn slugs_become_titles() {
        assert_eq!(
            slug_title("http://example.me/2016/07/15/talks-end-after-midnight/").as_deref(),
            Some("Talks end after midnight")
        );
        assert_eq!(slug_title("http://example.me/article/123456"), None);
    }
}
