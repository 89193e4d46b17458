//! Extraction on the seeds: the dates the Moscow Times article mentions, resolved against its
//! publication date, in both of its formats; the entities and aliases of all five, resolved
//! alike across outlets; and the two labels the two governments attach to the Al-Nusra Front.

use crate::support::{by_source, ingest, seeds_dir};
use chrono::NaiveDate;
use newsfold::extract::dates::{find_dates, DateGranularity};
use newsfold::extract::entities::{find_entities, AliasTable, Entity, EntityKind};
use newsfold::extract::labels::find_labels;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn seed_dates_resolve_against_publication() {
    let (store, _) = ingest(&[&seeds_dir()]);
    let articles = store.articles(None, None).unwrap();
    // 001 has its own date line; 000 inherits it from 001, its copy in another format.
    for seed in ["001_0f187259eea0d079.txt", "000_fae5dc1a4d6e1dde.txt"] {
        let article = &by_source(&articles, seed).article;
        let published = article.meta.published.as_ref().map(|f| f.value.date);
        assert_eq!(published, Some(day(2016, 9, 15)), "{seed}");
        let text = article.paragraphs.join("\n\n");
        let found = find_dates(&text, published);
        let sept = found
            .iter()
            .find(|m| m.text == "Sept. 12")
            .unwrap_or_else(|| panic!("{seed}: no Sept. 12 in {found:?}"));
        assert_eq!(sept.date, day(2016, 9, 12), "{seed}");
        assert_eq!(sept.granularity, DateGranularity::Day);
        assert!(
            sept.sentence.text.contains("ceasefire"),
            "{seed}: {:?}",
            sept.sentence
        );
        // "reported Thursday" is the publication day, "said Wednesday" the day before.
        let on = |words: &str| found.iter().find(|m| m.text == words).map(|m| m.date);
        assert_eq!(on("Thursday"), Some(day(2016, 9, 15)), "{seed}");
        assert_eq!(on("Wednesday"), Some(day(2016, 9, 14)), "{seed}");
        // Without the publication date, none of these can be resolved.
        assert!(find_dates(&text, None).is_empty(), "{seed}");
    }
}

/// Every seed's entities, by the seed's file name.
fn seed_entities() -> Vec<(String, String, Vec<Entity>)> {
    let (store, _) = ingest(&[&seeds_dir()]);
    let articles = store.articles(None, None).unwrap();
    articles
        .iter()
        .map(|a| {
            let text = a.article.text();
            let entities = find_entities(&text, AliasTable::shipped());
            (a.article.source_path.clone(), text, entities)
        })
        .collect()
}

fn entity<'a>(entities: &'a [Entity], name: &str) -> Option<&'a Entity> {
    entities.iter().find(|e| e.name == name)
}

#[test]
fn seed_aliases_resolve_across_outlets() {
    let seeds = seed_entities();
    let named = |suffix: &str, name: &str| -> Entity {
        let (_, _, es) = seeds.iter().find(|(p, _, _)| p.ends_with(suffix)).unwrap();
        entity(es, name)
            .cloned()
            .unwrap_or_else(|| panic!("{suffix}: no {name:?} in {es:#?}"))
    };
    // One group, three outlets, four spellings.
    let is_002 = named("002_80a8fa572f98a536.txt", "Islamic State");
    assert!(is_002.aliases.contains(&"Daesh".to_string()), "{is_002:?}");
    assert_eq!(is_002.kind, EntityKind::Organization);
    let is_004 = named("004_fa13a26f4af99de4.txt", "Islamic State");
    assert!(is_004.aliases.contains(&"ISIS".to_string()), "{is_004:?}");
    let nusra_003 = named("003_7a2dca50657290dc.txt", "Al-Nusra Front");
    assert!(nusra_003.aliases.contains(&"Jabhat al-Nusra".to_string()));
    let nusra_004 = named("004_fa13a26f4af99de4.txt", "Al-Nusra Front");
    assert!(nusra_004.aliases.contains(&"Jabhat al-Nusrah".to_string()));
    named("002_80a8fa572f98a536.txt", "Al-Nusra Front");
    // Surnames to full names, titles kept as roles.
    let putin = named("004_fa13a26f4af99de4.txt", "Vladimir Putin");
    assert!(putin.aliases.contains(&"Putin".to_string()), "{putin:?}");
    assert_eq!(putin.kind, EntityKind::Person);
    let peskov = named("004_fa13a26f4af99de4.txt", "Dmitry Peskov");
    assert!(peskov.aliases.contains(&"Peskov".to_string()));
    assert!(
        peskov.roles.iter().any(|r| r.contains("spokesman")),
        "{peskov:?}"
    );
    let kerry = named("003_7a2dca50657290dc.txt", "John Kerry");
    assert!(
        kerry.roles.iter().any(|r| r.contains("Secretary of State")),
        "{kerry:?}"
    );
    // Mentions point at their words.
    for (path, text, es) in &seeds {
        let chars: Vec<char> = text.chars().collect();
        for e in es {
            for m in &e.mentions {
                let at: String = chars[m.start..m.end].iter().collect();
                assert_eq!(at, m.text, "{path}: {e:?}");
            }
        }
    }
}

#[test]
fn seed_labels_of_the_al_nusra_front() {
    for (path, text, es) in seed_entities() {
        if !(path.ends_with("000_fae5dc1a4d6e1dde.txt")
            || path.ends_with("001_0f187259eea0d079.txt"))
        {
            continue;
        }
        let labels = find_labels(&text, &es, Some("The Moscow Times"));
        let said = |actor: &str, label: &str| {
            labels.iter().any(|l| {
                l.actor.as_deref() == Some(actor)
                    && l.target == "Al-Nusra Front"
                    && l.label == label
                    && !l.by_outlet
                    && l.sentence.contains(label)
            })
        };
        assert!(
            said("United States", "moderate opposition"),
            "{path}: {labels:#?}"
        );
        assert!(said("Moscow", "extremist"), "{path}: {labels:#?}");
    }
}

/// Issue 5's bad input through all four extractors: no panic, no invented speaker, no
/// impossible date, and the offsets of whatever is found inside the text.
#[test]
fn extraction_survives_bad_input() {
    use newsfold::extract::quotes::find_quotes;
    let published = Some(day(2016, 7, 15));
    let many = "“Yes,” the crowd chanted. ".repeat(5000);
    let cases: Vec<(&str, String)> = [
        (
            "unbalanced",
            "He said “this and “that. Then ” nothing « more",
        ),
        (
            "never closes",
            "“This quote never closes and runs on to the end of the text",
        ),
        (
            "bad date",
            "They met on 32.13.2016 and again on 31.02.2016.",
        ),
        (
            "russian",
            "Президент России Владимир Путин заявил, что «переговоры идут».",
        ),
        ("chinese", "外交部发言人说：“我们反对。”"),
        ("empty", ""),
    ]
    .into_iter()
    .map(|(n, t)| (n, t.to_string()))
    .chain(std::iter::once(("5000 quotes", many)))
    .collect();
    for (name, text) in &cases {
        let chars = text.chars().count();
        let entities = find_entities(text, AliasTable::shipped());
        let quotes = find_quotes(text);
        let dates = find_dates(text, published);
        let labels = find_labels(text, &entities, None);
        assert!(quotes.iter().all(|q| q.end <= chars), "{name}");
        assert!(labels.iter().all(|l| l.end <= chars), "{name}");
        assert!(
            entities
                .iter()
                .flat_map(|e| &e.mentions)
                .all(|m| m.end <= chars),
            "{name}"
        );
        match *name {
            "bad date" => assert!(dates.is_empty(), "{dates:?}"),
            "unbalanced" | "never closes" | "chinese" | "empty" => {
                assert!(
                    quotes.iter().all(|q| q.speaker.is_none()),
                    "{name}: {quotes:?}"
                )
            }
            "5000 quotes" => {
                assert_eq!(quotes.len(), 5000);
                assert!(entities.is_empty(), "{entities:?}");
            }
            _ => {}
        }
    }
}
