//! The outlet registry: one outlet under many names. "The Moscow Times", "Moscow Times" and
//! `themoscowtimes.com` are one outlet because their normalised keys meet (`moscowtimes`),
//! not because a rule names them.
//!
//! Keys are learned as articles arrive (a name from a record or an outlet line, the domain of
//! the article's URL), can be seeded from a bundled list of outlets whose names and domains do
//! not meet by themselves (`data/outlets.toml`), and can be edited by the user
//! (`newsfold outlets`). The registry lives in the store.

use crate::error::{Error, Result};
use crate::ingest::urls;
use crate::model::{Field, MetaSource};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The key of an outlet name: letters and digits only, lower case, without a leading "the".
pub fn name_key(name: &str) -> String {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.strip_prefix("the") {
        Some(rest) if rest.chars().count() >= 3 => rest.to_string(),
        _ => key,
    }
}

/// The key of a domain: the host without `www.` and the like.
pub fn domain_key(domain: &str) -> String {
    urls::bare_host(&domain.to_ascii_lowercase()).to_string()
}

/// An outlet as the registry lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outlet {
    pub id: i64,
    pub name: String,
    pub origin: String,
    pub aliases: Vec<String>,
    pub domains: Vec<String>,
    pub articles: i64,
}

/// An entry of the bundled or a user's outlet list (TOML).
#[derive(Debug, Deserialize)]
pub struct OutletEntry {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct OutletList {
    outlet: Vec<OutletEntry>,
}

/// The bundled outlets: those whose names and domains share no key.
pub fn builtin() -> Vec<OutletEntry> {
    let list: OutletList = toml::from_str(include_str!("../../data/outlets.toml"))
        .expect("bundled outlets.toml parses");
    list.outlet
}

/// The registry's keys, cached in memory while a batch is written.
#[derive(Debug, Default)]
pub struct Registry {
    by_key: HashMap<String, i64>,
    names: HashMap<i64, (String, String)>,
    /// Outlets that have at least one domain.
    with_domain: std::collections::HashSet<i64>,
}

fn looks_like_domain(name: &str) -> bool {
    name.contains('.') && !name.contains(' ')
}

/// Sources strong enough to tie a name to the article's domain.
fn ties_domain(source: MetaSource) -> bool {
    matches!(
        source,
        MetaSource::Record
            | MetaSource::JsonLd
            | MetaSource::MetaTag
            | MetaSource::OutletLine
            | MetaSource::Signature
    )
}

impl Registry {
    pub fn load(conn: &Connection) -> Result<Registry> {
        let mut reg = Registry::default();
        let mut stmt = conn.prepare("SELECT id, name, origin FROM outlets")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))? {
            let (id, name, origin) = row?;
            reg.names.insert(id, (name, origin));
        }
        let mut stmt = conn.prepare("SELECT key, outlet_id, kind FROM outlet_aliases")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (key, id, kind) = row?;
            if kind == "domain" {
                reg.with_domain.insert(id);
            }
            reg.by_key.insert(key, id);
        }
        Ok(reg)
    }

    pub fn name(&self, id: i64) -> Option<&str> {
        self.names.get(&id).map(|(n, _)| n.as_str())
    }

    fn add_key(
        &mut self,
        conn: &Connection,
        key: String,
        id: i64,
        alias: &str,
        kind: &str,
        origin: &str,
    ) -> Result<()> {
        if key.is_empty() || self.by_key.contains_key(&key) {
            return Ok(());
        }
        conn.execute(
            "INSERT INTO outlet_aliases (key, outlet_id, alias, kind, origin) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key, id, alias, kind, origin],
        )?;
        self.by_key.insert(key, id);
        Ok(())
    }

    fn create(&mut self, conn: &Connection, name: &str, origin: &str) -> Result<i64> {
        // Two different outlets may share a display name only if their keys differ; keep the
        // name unique by suffixing the rare clash.
        let mut display = name.to_string();
        let mut n = 2;
        while self
            .names
            .values()
            .any(|(existing, _)| existing == &display)
        {
            display = format!("{name} ({n})");
            n += 1;
        }
        conn.execute(
            "INSERT INTO outlets (name, origin) VALUES (?1, ?2)",
            params![display, origin],
        )?;
        let id = conn.last_insert_rowid();
        self.names.insert(id, (display, origin.to_string()));
        Ok(id)
    }

    fn add_domain(&mut self, conn: &Connection, id: i64, domain: &str, origin: &str) -> Result<()> {
        let key = domain_key(domain);
        self.with_domain.insert(id);
        self.add_key(conn, key.clone(), id, &key, "domain", origin)
    }

    /// Register an outlet with its aliases and domains (bundled list, user import).
    pub fn register(
        &mut self,
        conn: &Connection,
        entry: &OutletEntry,
        origin: &str,
    ) -> Result<i64> {
        let key = name_key(&entry.name);
        let id = match self.by_key.get(&key) {
            Some(&id) => id,
            None => self.create(conn, &entry.name, origin)?,
        };
        self.add_key(conn, key, id, &entry.name, "name", origin)?;
        for alias in &entry.aliases {
            self.add_key(conn, name_key(alias), id, alias, "name", origin)?;
        }
        for domain in &entry.domains {
            self.add_domain(conn, id, domain, origin)?;
        }
        Ok(id)
    }

    /// The outlet of an article from its best outlet name and its URL's domain; learns the
    /// keys it did not know. Returns the outlet's id and canonical name.
    pub fn resolve(
        &mut self,
        conn: &Connection,
        name: Option<&Field<String>>,
        domain: Option<&str>,
    ) -> Result<Option<(i64, String)>> {
        let mut domain = domain.map(domain_key).filter(|d| !d.is_empty());
        let mut name = name.filter(|n| !name_key(&n.value).is_empty());
        // A name that is a domain ("nytimes.com" in a `domain` field) is a domain.
        if let Some(n) = name.filter(|n| looks_like_domain(&n.value)) {
            domain = domain.or_else(|| Some(domain_key(&n.value)));
            name = None;
        }
        let known_domain = domain.as_ref().and_then(|d| self.by_key.get(d).copied());
        let known_name = name.and_then(|n| self.by_key.get(&name_key(&n.value)).copied());
        let id = match (name, known_name, known_domain) {
            (Some(n), Some(id), _) => {
                self.rename_domain_named(conn, id, &n.value)?;
                if let (Some(d), None) = (&domain, known_domain) {
                    self.tie_domain(conn, id, n, d)?;
                }
                id
            }
            // A new name on a known domain: a strong cue ("New York Times - News" in a record
            // from nytimes.com) is another name of that outlet; a weak one is ignored.
            (Some(n), None, Some(id)) => {
                if ties_domain(n.source) {
                    self.add_key(conn, name_key(&n.value), id, &n.value, "name", "learned")?;
                }
                id
            }
            (Some(n), None, None) => {
                let id = self.create(conn, &n.value, "learned")?;
                self.add_key(conn, name_key(&n.value), id, &n.value, "name", "learned")?;
                if let Some(d) = &domain {
                    self.tie_domain(conn, id, n, d)?;
                }
                id
            }
            (None, _, Some(id)) => id,
            (None, _, None) => {
                let Some(d) = domain else { return Ok(None) };
                // An outlet known so far only by its name ("The Moscow Times") takes the first
                // domain whose stem meets that name (themoscowtimes.com); one that has a domain
                // already does not take another by its stem (guardian.ng is not theguardian.com).
                let stem = name_key(urls::domain_stem(&d));
                if let Some(&id) = self
                    .by_key
                    .get(&stem)
                    .filter(|id| !self.with_domain.contains(id))
                {
                    self.add_domain(conn, id, &d, "learned")?;
                    return Ok(self.name(id).map(|n| (id, n.to_string())));
                }
                // Known only by its domain: named after it, and findable by the domain's
                // stem so that the first real name that meets it ("nsnbc" for nsnbc.me)
                // names it. Stems are keys only here, never looked up from other domains.
                let id = self.create(conn, &d, "learned")?;
                self.add_domain(conn, id, &d, "learned")?;
                self.add_key(
                    conn,
                    name_key(urls::domain_stem(&d)),
                    id,
                    &d,
                    "name",
                    "learned",
                )?;
                id
            }
        };
        Ok(self.name(id).map(|n| (id, n.to_string())))
    }

    /// Tie an article's unknown domain to its outlet when the name and the domain meet
    /// ("Press TV" and presstv.ir) or the name's source is strong.
    fn tie_domain(
        &mut self,
        conn: &Connection,
        id: i64,
        name: &Field<String>,
        domain: &str,
    ) -> Result<()> {
        if name_key(urls::domain_stem(domain)) == name_key(&name.value) || ties_domain(name.source)
        {
            self.add_domain(conn, id, domain, "learned")?;
        }
        Ok(())
    }

    /// An outlet first known only by its domain takes the first real name that meets it.
    fn rename_domain_named(&mut self, conn: &Connection, id: i64, name: &str) -> Result<()> {
        let Some((current, origin)) = self.names.get(&id).cloned() else {
            return Ok(());
        };
        if origin == "learned" && looks_like_domain(&current) && !looks_like_domain(name) {
            let taken = self.names.values().any(|(n, _)| n == name);
            if !taken {
                conn.execute(
                    "UPDATE outlets SET name = ?1 WHERE id = ?2",
                    params![name, id],
                )?;
                self.names.insert(id, (name.to_string(), origin));
            }
        }
        Ok(())
    }
}

/// Every outlet with its aliases and article counts, by name.
pub fn list(conn: &Connection) -> Result<Vec<Outlet>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.name, o.origin, (SELECT count(*) FROM articles a WHERE a.outlet_id = o.id)
         FROM outlets o ORDER BY o.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Outlet {
            id: r.get(0)?,
            name: r.get(1)?,
            origin: r.get(2)?,
            aliases: Vec::new(),
            domains: Vec::new(),
            articles: r.get(3)?,
        })
    })?;
    let mut outlets = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt =
        conn.prepare("SELECT alias, kind FROM outlet_aliases WHERE outlet_id = ?1 ORDER BY alias")?;
    for o in &mut outlets {
        for row in stmt.query_map([o.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })? {
            let (alias, kind) = row?;
            let list = if kind == "domain" {
                &mut o.domains
            } else {
                &mut o.aliases
            };
            if !list.contains(&alias) {
                list.push(alias);
            }
        }
    }
    Ok(outlets)
}

/// The outlet with this name, or with this name or domain among its aliases.
pub fn find(conn: &Connection, name_or_alias: &str) -> Result<i64> {
    let by_name: Option<i64> = conn
        .query_row(
            "SELECT id FROM outlets WHERE name = ?1",
            [name_or_alias],
            |r| r.get(0),
        )
        .optional()?;
    let by_key = || -> Result<Option<i64>> {
        let key = if looks_like_domain(name_or_alias) {
            domain_key(name_or_alias)
        } else {
            name_key(name_or_alias)
        };
        Ok(conn
            .query_row(
                "SELECT outlet_id FROM outlet_aliases WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?)
    };
    match by_name {
        Some(id) => Ok(id),
        None => {
            by_key()?.ok_or_else(|| Error::Usage(format!("no outlet is called {name_or_alias:?}")))
        }
    }
}

/// Give an outlet another name or domain. When the alias already belongs to another outlet,
/// the two are merged: the other outlet's aliases and articles move to this one.
pub fn add_alias(conn: &mut Connection, outlet: &str, alias: &str) -> Result<()> {
    let tx = conn.transaction()?;
    let id = find(&tx, outlet)?;
    let (key, kind) = if looks_like_domain(alias) {
        (domain_key(alias), "domain")
    } else {
        (name_key(alias), "name")
    };
    if key.is_empty() {
        return Err(Error::Usage(format!("{alias:?} has no letters or digits")));
    }
    let owner: Option<i64> = tx
        .query_row(
            "SELECT outlet_id FROM outlet_aliases WHERE key = ?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    match owner {
        Some(other) if other != id => {
            tx.execute(
                "UPDATE outlet_aliases SET outlet_id = ?1 WHERE outlet_id = ?2",
                params![id, other],
            )?;
            tx.execute(
                "UPDATE articles SET outlet_id = ?1 WHERE outlet_id = ?2",
                params![id, other],
            )?;
            tx.execute("DELETE FROM outlets WHERE id = ?1", [other])?;
        }
        Some(_) => {}
        None => {
            tx.execute(
                "INSERT INTO outlet_aliases (key, outlet_id, alias, kind, origin) VALUES (?1, ?2, ?3, ?4, 'user')",
                params![key, id, alias, kind],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Rename an outlet; its old name stays an alias.
pub fn rename(conn: &mut Connection, outlet: &str, new_name: &str) -> Result<()> {
    let tx = conn.transaction()?;
    let id = find(&tx, outlet)?;
    let clash: Option<i64> = tx
        .query_row(
            "SELECT id FROM outlets WHERE name = ?1 AND id != ?2",
            params![new_name, id],
            |r| r.get(0),
        )
        .optional()?;
    if clash.is_some() {
        return Err(Error::Usage(format!(
            "another outlet is already called {new_name:?}; use `newsfold outlets alias` to merge them"
        )));
    }
    tx.execute(
        "UPDATE outlets SET name = ?1, origin = 'user' WHERE id = ?2",
        params![new_name, id],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO outlet_aliases (key, outlet_id, alias, kind, origin) VALUES (?1, ?2, ?3, 'name', 'user')",
        params![name_key(new_name), id, new_name],
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(crate::store::schema::MIGRATIONS[0])
            .unwrap();
        c
    }

    fn field(v: &str, source: MetaSource) -> Field<String> {
        Field::new(v.to_string(), source, 0.7)
    }

    #[test]
    fn names_and_domains_meet_by_key() {
        assert_eq!(name_key("The Moscow Times"), name_key("Moscow Times"));
        assert_eq!(
            name_key(urls::domain_stem("themoscowtimes.com")),
            "moscowtimes"
        );
        let c = conn();
        let mut reg = Registry::default();
        let a = reg
            .resolve(
                &c,
                Some(&field("The Harbour Gazette", MetaSource::OutletLine)),
                None,
            )
            .unwrap()
            .unwrap();
        let b = reg
            .resolve(&c, None, Some("www.harbourgazette.example"))
            .unwrap()
            .unwrap();
        let d = reg
            .resolve(&c, Some(&field("Harbour Gazette", MetaSource::Text)), None)
            .unwrap()
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(a, d);
        assert_eq!(a.1, "The Harbour Gazette");
    }

    #[test]
    fn domain_named_outlet_takes_the_first_real_name() {
        let c = conn();
        let mut reg = Registry::default();
        let (id, name) = reg
            .resolve(&c, None, Some("ledger.example"))
            .unwrap()
            .unwrap();
        assert_eq!(name, "ledger.example");
        let (id2, name2) = reg
            .resolve(&c, Some(&field("Ledger", MetaSource::Signature)), None)
            .unwrap()
            .unwrap();
        assert_eq!((id, "Ledger".to_string()), (id2, name2));
    }

    #[test]
    fn alias_merges_outlets_and_rename_keeps_old_name() {
        let mut c = conn();
        let mut reg = Registry::default();
        reg.resolve(&c, Some(&field("Alpha Post", MetaSource::Record)), None)
            .unwrap();
        reg.resolve(&c, Some(&field("Beta Daily", MetaSource::Record)), None)
            .unwrap();
        add_alias(&mut c, "Alpha Post", "Beta Daily").unwrap();
        assert_eq!(list(&c).unwrap().len(), 1);
        rename(&mut c, "Alpha Post", "Alpha").unwrap();
        assert_eq!(find(&c, "alpha post").unwrap(), find(&c, "Alpha").unwrap());
        assert!(add_alias(&mut c, "Nobody", "x").is_err());
    }

    #[test]
    fn domains_do_not_merge_through_their_stems() {
        // Regressions from the review of issue 2.
        let c = conn();
        let mut reg = Registry::default();
        for e in builtin() {
            reg.register(&c, &e, "builtin").unwrap();
        }
        let g = reg
            .resolve(
                &c,
                Some(&field("The Guardian", MetaSource::Record)),
                Some("theguardian.com"),
            )
            .unwrap()
            .unwrap();
        let ng = reg.resolve(&c, None, Some("guardian.ng")).unwrap().unwrap();
        assert_ne!(g.0, ng.0);
        let x = reg
            .resolve(&c, None, Some("alice.substack.com"))
            .unwrap()
            .unwrap();
        let y = reg
            .resolve(&c, None, Some("bob.substack.com"))
            .unwrap()
            .unwrap();
        assert_ne!(x.0, y.0);
        let au = reg.resolve(&c, None, Some("news.com.au")).unwrap().unwrap();
        assert_ne!(au.1, "Xinhua");
        // A domain given as a name is a domain; a record's section name joins the outlet.
        let nyt = reg
            .resolve(&c, Some(&field("nytimes.com", MetaSource::Record)), None)
            .unwrap()
            .unwrap();
        assert_eq!(nyt.1, "The New York Times");
        let section = reg
            .resolve(
                &c,
                Some(&field("New York Times - News", MetaSource::Record)),
                Some("www.nytimes.com"),
            )
            .unwrap()
            .unwrap();
        assert_eq!(section.0, nyt.0);
    }

    #[test]
    fn builtin_list_parses() {
        assert!(!builtin().is_empty());
    }
}
