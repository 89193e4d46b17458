//! The desk over HTTP without a browser, through `newsfold::server::client`: every route's
//! answer and JSON shape on the sample corpus, and what it does with bad requests (a 4xx with
//! a message, never a 500 and never a file), the access token, and the OpenAPI document.

use crate::support::{config, demo_desk, demo_store, start_desk};
use newsfold::server::client::{Client, Response};
use newsfold::server::{Desk, Options};
use serde_json::Value;
use std::net::SocketAddr;

fn get(addr: SocketAddr, target: &str) -> Response {
    Client::new(addr)
        .get(target)
        .unwrap_or_else(|e| panic!("{target}: {e}"))
}

fn json_ok(addr: SocketAddr, target: &str) -> Value {
    let r = get(addr, target);
    assert_eq!(r.status, 200, "{target}: {}", r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{target}: {:?}",
        r.header("content-type")
    );
    r.json().unwrap()
}

/// A refusal: the status, and for the API `{"error": {"status", "message"}}` with a message.
fn refused(r: &Response, target: &str, status: u16) {
    assert_eq!(r.status, status, "{target}: {}", r.text());
    if target.starts_with("/api/") || target == "/openapi.json" {
        let v = r
            .json()
            .unwrap_or_else(|e| panic!("{target}: {e}: {}", r.text()));
        assert_eq!(v["error"]["status"], status, "{target}: {v}");
        let message = v["error"]["message"].as_str().unwrap_or("");
        assert!(message.len() > 10, "{target}: a message that says why: {v}");
    } else {
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("text/html")),
            "{target}: a page"
        );
        assert!(r.text().contains(&status.to_string()), "{target}");
    }
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

/// The ids the tests use: a storyline, an event, an article.
fn some_ids(addr: SocketAddr) -> (String, String, String) {
    let lines = json_ok(addr, "/api/stories");
    let storyline = lines["stories"][0]["id"].as_str().unwrap().to_string();
    let events = json_ok(addr, "/api/stories?level=event");
    let event = events["stories"][0]["id"].as_str().unwrap().to_string();
    let article = lines["stories"][0]["members"][0]
        .as_str()
        .unwrap()
        .to_string();
    (storyline, event, article)
}

#[test]
fn desk_every_route_answers_with_its_shape() {
    let addr = demo_desk();
    let list = json_ok(addr, "/api/stories");
    assert_eq!(
        keys(&list),
        ["level", "limit", "offset", "stories", "total"]
    );
    assert_eq!(list["level"], "storyline");
    let stories = list["stories"].as_array().unwrap();
    // The answer key's three developing stories.
    assert_eq!(list["total"], 3, "{list}");
    assert_eq!(stories.len(), 3);
    for s in stories {
        assert!(s["id"].as_str().unwrap().starts_with("sl_"));
        assert!(s["articles"].as_u64().unwrap() >= 1);
        assert!(s["headline"].is_string());
        assert!(s["members"].as_array().is_some_and(|m| !m.is_empty()));
    }
    let events = json_ok(addr, "/api/stories?level=event&limit=2&offset=1");
    assert_eq!(
        (events["level"].as_str(), events["limit"].as_u64()),
        (Some("event"), Some(2))
    );
    assert!(events["stories"].as_array().unwrap().len() <= 2);
    let filtered = json_ok(
        addr,
        "/api/stories?level=event&from=2025-05-01&to=2025-05-31&outlet=The%20Eastbrook%20Signal",
    );
    assert!(filtered["total"].as_u64().unwrap() >= 1, "{filtered}");

    let (storyline, event, article) = some_ids(addr);
    for id in [&storyline, &event] {
        let r = json_ok(addr, &format!("/api/stories/{id}"));
        assert_eq!(
            keys(&r),
            [
                "articles",
                "coverage",
                "labels",
                "per_day",
                "quotes",
                "summary",
                "timeline",
                "vocabulary"
            ]
        );
        assert_eq!(r["summary"]["id"], id.as_str());
        assert!(!r["coverage"].as_array().unwrap().is_empty());
    }
    // A unique prefix finds the story too.
    let prefix = &storyline[..8];
    let r = json_ok(addr, &format!("/api/stories/{prefix}"));
    assert_eq!(r["summary"]["id"], storyline.as_str());

    let a = json_ok(addr, &format!("/api/articles/{article}"));
    for k in [
        "id", "outlet", "meta", "blocks", "copy", "story", "quotes", "dates", "entities",
    ] {
        assert!(a.get(k).is_some(), "{k} in {:?}", keys(&a));
    }
    assert_eq!(a["id"], article.as_str());
    assert!(a["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["block"] == "paragraph"));
    let short = json_ok(addr, &format!("/api/articles/{}", &article[..6]));
    assert_eq!(short["id"], article.as_str());

    for page in [
        "/stories".to_string(),
        "/stories?level=event".into(),
        format!("/stories/{storyline}"),
        format!("/stories/{event}"),
        format!("/articles/{article}"),
    ] {
        let r = get(addr, &page);
        assert_eq!(r.status, 200, "{page}");
        assert!(r
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html")));
        assert!(r.header("content-security-policy").is_some(), "{page}");
        assert!(r.text().starts_with("<!DOCTYPE html>"), "{page}");
    }
    let home = get(addr, "/");
    assert!((300..400).contains(&home.status), "{}", home.status);
    assert_eq!(home.header("location"), Some("/stories"));
}

#[test]
fn desk_unknown_ids_are_404_and_malformed_ids_400() {
    let addr = demo_desk();
    for (target, status) in [
        ("/api/stories/ev_ffffffffffff", 404),
        ("/api/stories/sl_000000000000", 404),
        ("/api/articles/ffffffffffff", 404),
        ("/stories/ev_ffffffffffff", 404),
        ("/articles/ffffffffffff", 404),
        ("/api/nothing", 404),
        ("/nothing", 404),
        ("/api/stories/xyz", 400),
        ("/api/stories/ev_zz", 400),
        ("/api/stories/ev_", 400),
        ("/api/stories/ev_0123456789abcdef", 400),
        ("/api/articles/not-hex", 400),
        ("/api/articles/0123456789abcdef0", 400),
        ("/api/articles/%00", 400),
        ("/stories/xyz", 400),
        ("/articles/not-hex", 400),
        ("/api/articles/abc?compare=nope", 400),
    ] {
        refused(&get(addr, target), target, status);
    }
}

#[test]
fn desk_bad_parameters_are_400_with_a_message() {
    let addr = demo_desk();
    let (storyline, _, article) = some_ids(addr);
    let bad = [
        "from=2016-13-45",
        "to=yesterday",
        "from=2025-05-01&to=2025-04-01",
        "limit=100000",
        "limit=0",
        "limit=-1",
        "offset=lots",
        "min_articles=x",
        "level=chapter",
        "colour=red",
        "limt=5",
    ];
    for q in bad {
        for route in ["/api/stories", "/stories"] {
            let target = format!("{route}?{q}");
            refused(&get(addr, &target), &target, 400);
        }
    }
    for target in [
        format!("/api/stories/{storyline}?limit=5"),
        format!("/api/articles/{article}?colour=red"),
        format!("/stories/{storyline}?x=1"),
    ] {
        refused(&get(addr, &target), &target, 400);
    }
    // Blank values are absent, as an HTML form sends them.
    json_ok(addr, "/api/stories?from=&to=&outlet=&limit=");
}

#[test]
fn desk_path_traversal_never_reads_a_file() {
    let addr = demo_desk();
    for target in [
        "/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/../../etc/passwd",
        "/static/../Cargo.toml",
        "/stories/..%2F..%2FCargo.toml",
        "/api/stories/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/articles/%2e%2e",
        "//etc/passwd",
    ] {
        let r = get(addr, target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: {} {}",
            r.status,
            r.text()
        );
        let body = r.text();
        assert!(
            !body.contains("root:") && !body.contains("[package]"),
            "{target} served a file"
        );
    }
}

#[test]
fn desk_refuses_long_urls_bodies_and_other_methods() {
    let addr = demo_desk();
    let long = format!("/api/stories?entity={}", "a".repeat(5000));
    refused(&get(addr, &long), "/api/stories", 414);
    let long_page = format!("/stories?entity={}", "a".repeat(5000));
    refused(&get(addr, &long_page), "/stories", 414);

    let big = vec![b'x'; 100_000];
    let r = Client::new(addr)
        .request(
            "GET",
            "/api/stories",
            &[],
            Some(("application/octet-stream", &big)),
        )
        .unwrap();
    refused(&r, "/api/stories", 413);
    let r = Client::new(addr)
        .request(
            "GET",
            "/api/stories",
            &[("Transfer-Encoding", "chunked")],
            None,
        )
        .unwrap();
    refused(&r, "/api/stories", 413);

    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let r = Client::new(addr)
            .request(
                method,
                "/api/stories",
                &[],
                Some(("application/json", b"{}")),
            )
            .unwrap();
        refused(&r, "/api/stories", 405);
    }
    let r = Client::new(addr)
        .post_json("/stories", &serde_json::json!({}))
        .unwrap();
    assert_eq!(r.status, 405);
}

#[test]
fn desk_with_a_token_needs_it_on_every_request() {
    let (_dir, db) = demo_store(&[]);
    let desk = start_desk(&db, Some("s3cret-token"));
    let addr = desk.addr;
    for target in ["/api/stories", "/openapi.json", "/stories", "/nothing"] {
        let r = get(addr, target);
        refused(&r, target, 401);
        assert!(r.header("www-authenticate").is_some());
        let wrong = Client::new(addr)
            .header("Authorization", "Bearer s3cret-tokeN")
            .get(target)
            .unwrap();
        refused(&wrong, target, 401);
    }
    refused(&get(addr, "/api/stories?token=nope"), "/api/stories", 401);
    let mut bearer = Client::new(addr).header("Authorization", "Bearer s3cret-token");
    assert_eq!(bearer.get("/api/stories").unwrap().status, 200);
    assert_eq!(bearer.get("/stories").unwrap().status, 200);
    assert!(bearer
        .get("/api/stories")
        .unwrap()
        .header("set-cookie")
        .is_none());

    // Once in the address bar, then the cookie carries it.
    let r = get(addr, "/stories?token=s3cret-token");
    assert_eq!(r.status, 200);
    let cookie = r.header("set-cookie").expect("a cookie").to_string();
    assert!(
        cookie.starts_with("newsfold_token=s3cret-token"),
        "{cookie}"
    );
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_string();
    let mut browser = Client::new(addr).header("Cookie", &pair);
    assert_eq!(browser.get("/api/stories").unwrap().status, 200);
    assert_eq!(browser.get("/stories?level=event").unwrap().status, 200);
    let r = Client::new(addr)
        .header("Cookie", "newsfold_token=guess")
        .get("/stories")
        .unwrap();
    refused(&r, "/stories", 401);
    desk.stop().unwrap();
}

#[test]
fn desk_refuses_a_public_address_without_a_token() {
    let (_dir, db) = demo_store(&[]);
    for token in [None, Some(String::new())] {
        let desk = Desk::open(&db, &config()).unwrap();
        let opts = Options {
            addr: "0.0.0.0:0".parse().unwrap(),
            token,
            until_interrupted: false,
        };
        let e = newsfold::server::start(desk, &opts).err().expect("refused");
        assert!(e.is_usage(), "{e}");
        assert!(e.to_string().contains("token"), "{e}");
    }
    let missing = Desk::open(&db.with_file_name("nothing.db"), &config())
        .err()
        .expect("no store");
    assert!(missing.is_usage(), "{missing}");
}

/// Every `/api/` route the desk answers is in the OpenAPI document and every one there
/// answers. Fails while `docs/openapi.json` is the empty placeholder.
#[test]
fn desk_openapi_lists_every_api_route() {
    let addr = demo_desk();
    let doc = json_ok(addr, "/openapi.json");
    let paths = doc["paths"]
        .as_object()
        .unwrap_or_else(|| panic!("/openapi.json has no paths: {doc}"));
    let (storyline, _, article) = some_ids(addr);
    let routes = [
        ("/api/stories", "/api/stories".to_string()),
        ("/api/stories/{id}", format!("/api/stories/{storyline}")),
        ("/api/articles/{id}", format!("/api/articles/{article}")),
        ("/api/search", "/api/search?q=Kestland".to_string()),
    ];
    for (route, probe) in &routes {
        let answered = get(addr, probe).status != 404;
        assert_eq!(
            paths.contains_key(*route),
            answered,
            "{route}: answered {answered}, in the document {}",
            paths.contains_key(*route)
        );
    }
    for listed in paths.keys().filter(|p| p.starts_with("/api/")) {
        assert!(
            routes.iter().any(|(r, _)| r == listed),
            "{listed} is documented but not probed here; add it"
        );
        assert!(paths[listed].get("get").is_some(), "{listed} has no GET");
    }
}

/// `/api/search`: hits for a word of the corpus. Fails until the search branch is merged.
#[test]
fn desk_search_api_answers() {
    let addr = demo_desk();
    let r = get(addr, "/api/search?q=Kestland");
    assert_eq!(r.status, 200, "no /api/search yet: {}", r.text());
    let v = r.json().unwrap();
    assert!(v.to_string().to_lowercase().contains("kestland"), "{v}");
    let r = get(addr, "/api/search?q=Kestland&colour=red");
    refused(&r, "/api/search", 400);
}
