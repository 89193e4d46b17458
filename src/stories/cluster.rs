//! Online clustering of articles into events, then of events into storylines.
//!
//! Articles are taken in date order (ties by id; undated ones last), so the result does not
//! depend on the order they were read in. Each is compared with the events active in a window
//! around its date, found through an inverted index of their members' heaviest terms, and joins
//! the best one whose similarity (text, shared entities, date) reaches the threshold, or starts
//! an event of its own. Consolidation then takes out members that drifted from what their event
//! became, placing them again, and merges events that converged (centroids alike, dates close).
//! Events are chained into storylines the same way with a wider window and a lower bar, on
//! their centroids and shared actors.
//!
//! This module sees numbers, not articles: terms, entities, dates and embeddings come from
//! [`super::features`]. It is not a topic model: a storyline is a chain of events, not a theme.

use super::terms::{Vector, VECTOR_TERMS};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The stories stage's settings (`[stories]` in the configuration file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StoryConfig {
    /// An article is compared with events that have a member within this many days of its date.
    pub window_days: u32,
    /// An event spans at most this many days from its first article to its last.
    pub event_span_days: u32,
    /// The similarity an article needs to join an event (0..1).
    pub event_threshold: f32,
    /// The same with sentence embeddings, whose cosines run higher than TF-IDF's.
    pub event_threshold_embeddings: f32,
    /// Events converge into one when their centroids are at least this similar (0..1).
    pub merge_threshold: f32,
    /// An event's member leaves it when its similarity to the rest falls below this (0..1).
    pub drift_threshold: f32,
    /// Events join a storyline active within this many days.
    pub storyline_window_days: u32,
    /// A storyline spans at most this many days.
    pub storyline_span_days: u32,
    /// The similarity an event needs to join a storyline (0..1).
    pub storyline_threshold: f32,
    /// Days over which the date's share of an event's similarity to a storyline halves.
    pub storyline_date_scale_days: f32,
    /// The share of the similarity given to shared entities (the rest is text).
    pub entity_weight: f32,
    /// The share of the text similarity given to sentence embeddings, when the model is installed.
    pub embedding_weight: f32,
    /// The share of the similarity that hangs on the date: days apart halve it every
    /// `date_scale_days`; an undated item gets a little of it.
    pub date_weight: f32,
    /// Days over which the date's share halves.
    pub date_scale_days: f32,
    /// Use sentence embeddings when the model is installed (`scripts/install-model.sh`).
    pub embeddings: bool,
    /// The model folder; default `$NEWSFOLD_MODEL_DIR`, else
    /// `~/.cache/newsfold/models/all-MiniLM-L6-v2`.
    pub model_dir: Option<std::path::PathBuf>,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            window_days: 7,
            event_span_days: 14,
            event_threshold: 0.15,
            event_threshold_embeddings: 0.28,
            merge_threshold: 0.55,
            drift_threshold: 0.12,
            storyline_window_days: 90,
            storyline_span_days: 180,
            storyline_threshold: 0.15,
            storyline_date_scale_days: 30.0,
            entity_weight: 0.1,
            embedding_weight: 0.5,
            date_weight: 0.7,
            date_scale_days: 1.0,
            embeddings: true,
            model_dir: None,
        }
    }
}

/// One unit to cluster: a copy group's representative.
#[derive(Debug, Clone)]
pub struct Item {
    /// Article id, for ordering ties.
    pub id: String,
    pub date: Option<NaiveDate>,
    /// TF-IDF vector ([`super::terms::Vocabulary::vector`]).
    pub vector: Vector,
    /// Canonical names of the people, organisations and places it names, most named first.
    pub entities: Vec<String>,
    /// Unit-length sentence embedding, when the model is installed.
    pub embedding: Option<Vec<f32>>,
}

/// The clustering's answer: for each item (in the caller's order), its event and its
/// storyline, as indexes into `events` and `storylines`.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    pub event_of: Vec<usize>,
    pub storyline_of: Vec<usize>,
    /// Members of each event (item indexes in processing order: date, then id).
    pub events: Vec<Vec<usize>>,
    /// Events of each storyline, in order of their first date.
    pub storylines: Vec<Vec<usize>>,
}

/// The part of the date's share an undated item gets: less than a day away would give, so
/// that it joins on text alone only when the text is close.
const UNDATED_NEAR: f32 = 0.15;

/// Passes of the convergence step at most (each merges what it can).
const CONVERGE_PASSES: usize = 4;

/// Entities of a group that an item's are compared with.
const GROUP_ENTITIES: usize = ITEM_ENTITIES * 2;

/// Terms of a member put in the inverted index.
const INDEX_TERMS: usize = 32;
/// Entities of an item that count in the entity similarity.
const ITEM_ENTITIES: usize = 16;

/// A group being built: the sum of its members' vectors and what the similarity needs.
#[derive(Debug, Clone, Default)]
struct Group {
    members: Vec<usize>,
    centroid: HashMap<u32, f32>,
    norm2: f32,
    entities: HashMap<String, u32>,
    /// The entities most members share ([`GROUP_ENTITIES`] of them), kept up to date by `add`.
    top: Vec<String>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    embedding: Option<Vec<f32>>,
}

/// What [`Group::similarity`] needs of one item (an article, or an event when storylines are
/// built).
struct Probe<'a> {
    vector: &'a [(u32, f32)],
    entities: &'a [String],
    date: Option<NaiveDate>,
    embedding: Option<&'a [f32]>,
}

impl<'a> From<&'a Item> for Probe<'a> {
    fn from(it: &'a Item) -> Self {
        Probe {
            vector: &it.vector,
            entities: &it.entities,
            date: it.date,
            embedding: it.embedding.as_deref(),
        }
    }
}

impl Group {
    fn add(&mut self, idx: usize, p: &Probe) {
        let cross = self.cross(p.vector);
        let own: f32 = p.vector.iter().map(|x| x.1 * x.1).sum();
        self.norm2 += 2.0 * cross + own;
        for (t, w) in p.vector {
            *self.centroid.entry(*t).or_default() += w;
        }
        for e in p.entities.iter().take(ITEM_ENTITIES) {
            *self.entities.entry(e.clone()).or_default() += 1;
            // Counts only grow, so the top list changes only by the entity just counted.
            if !self.top.contains(e) {
                self.top.push(e.clone());
            }
        }
        let counts = &self.entities;
        self.top
            .sort_by(|a, b| counts[b].cmp(&counts[a]).then(a.cmp(b)));
        self.top.truncate(GROUP_ENTITIES);
        if let Some(d) = p.date {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
        if let Some(e) = p.embedding {
            let sum = self.embedding.get_or_insert_with(|| vec![0.0; e.len()]);
            for (s, x) in sum.iter_mut().zip(e) {
                *s += x;
            }
        }
        self.members.push(idx);
    }

    fn of(members: impl IntoIterator<Item = usize>, items: &[Item]) -> Group {
        let mut g = Group::default();
        for m in members {
            g.add(m, &Probe::from(&items[m]));
        }
        g
    }

    fn cross(&self, v: &[(u32, f32)]) -> f32 {
        v.iter()
            .map(|(t, w)| self.centroid.get(t).copied().unwrap_or(0.0) * w)
            .sum()
    }

    /// The cosine of a unit vector with the centroid.
    fn cosine(&self, v: &[(u32, f32)]) -> f32 {
        if self.norm2 <= 1e-9 {
            return 0.0;
        }
        self.cross(v) / self.norm2.sqrt()
    }

    /// The centroid's heaviest terms ([`VECTOR_TERMS`]) as a unit sparse vector sorted by
    /// term id: what an event is compared on as a whole.
    fn vector(&self) -> Vector {
        let mut v: Vector = self.centroid.iter().map(|(t, w)| (*t, *w)).collect();
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(VECTOR_TERMS);
        v.sort_unstable_by_key(|x| x.0);
        super::terms::normalise(&mut v);
        v
    }

    /// The entities most members share, heaviest first (ties by name).
    fn top_entities(&self, n: usize) -> Vec<&str> {
        self.top.iter().take(n).map(String::as_str).collect()
    }

    /// The days the group would span with an item of this date in it.
    fn span_with(&self, date: Option<NaiveDate>) -> i64 {
        match (date, self.first, self.last) {
            (Some(d), Some(f), Some(l)) => (l.max(d) - f.min(d)).num_days(),
            (None, Some(f), Some(l)) => (l - f).num_days(),
            _ => 0,
        }
    }

    fn days_apart(&self, date: Option<NaiveDate>) -> Option<i64> {
        let d = date?;
        let (f, l) = (self.first?, self.last?);
        Some(if d < f {
            (f - d).num_days()
        } else if d > l {
            (d - l).num_days()
        } else {
            0
        })
    }

    /// How alike an item is to the group: text (TF-IDF cosine, blended with the embedding
    /// cosine when both have one), shared entities, and the distance in days to the group's
    /// dates. `without`: the item is a member, measured against the others.
    fn similarity(&self, cfg: &StoryConfig, p: &Probe, without: bool) -> f32 {
        let own: f32 = p.vector.iter().map(|x| x.1 * x.1).sum();
        let cross = self.cross(p.vector);
        let (cross, norm2) = if without {
            (cross - own, self.norm2 - 2.0 * cross + own)
        } else {
            (cross, self.norm2)
        };
        let mut text = if norm2 > 1e-9 {
            (cross / norm2.sqrt()).max(0.0)
        } else {
            0.0
        };
        if let (Some(sum), Some(e)) = (&self.embedding, p.embedding) {
            let rest: Vec<f32> = if without {
                sum.iter().zip(e).map(|(s, x)| s - x).collect()
            } else {
                sum.clone()
            };
            let norm = rest.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 1e-6 {
                let c = rest.iter().zip(e).map(|(a, b)| a * b).sum::<f32>() / norm;
                text = (1.0 - cfg.embedding_weight) * text + cfg.embedding_weight * c.max(0.0);
            }
        }
        let mine: Vec<&String> = p.entities.iter().take(ITEM_ENTITIES).collect();
        let adjusted;
        let top: Vec<&str> = if without {
            adjusted = ranked(&self.entities, &mine, GROUP_ENTITIES);
            adjusted.iter().map(String::as_str).collect()
        } else {
            self.top_entities(GROUP_ENTITIES)
        };
        let shared = mine.iter().filter(|e| top.contains(&e.as_str())).count();
        let room = mine.len().min(top.len());
        let ent = if room == 0 {
            0.0
        } else {
            shared as f32 / room as f32
        };
        let base = (1.0 - cfg.entity_weight) * text + cfg.entity_weight * ent;
        let near = match self.days_apart(p.date) {
            Some(days) => 0.5f32.powf(days as f32 / cfg.date_scale_days.max(0.1)),
            None => UNDATED_NEAR,
        };
        let date_factor = 1.0 - cfg.date_weight + cfg.date_weight * near;
        base * date_factor
    }
}

/// The `n` heaviest entities of a count map, one count off for each of `minus`; ties by name.
fn ranked(counts: &HashMap<String, u32>, minus: &[&String], n: usize) -> Vec<String> {
    let mut e: Vec<(&str, u32)> = counts
        .iter()
        .map(|(k, v)| {
            (
                k.as_str(),
                v - minus.iter().filter(|m| m.as_str() == k).count() as u32,
            )
        })
        .filter(|x| x.1 > 0)
        .collect();
    e.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    e.into_iter().take(n).map(|x| x.0.to_string()).collect()
}

/// Processing order: dated items by date, then undated ones; ties by id.
fn by_date(items: &[Item], a: usize, b: usize) -> std::cmp::Ordering {
    let (x, y) = (&items[a], &items[b]);
    (x.date.is_none(), x.date, &x.id).cmp(&(y.date.is_none(), y.date, &y.id))
}

/// Cluster `items` into events and storylines.
pub fn cluster(items: &[Item], cfg: &StoryConfig) -> Clustering {
    let embedded = items.iter().any(|i| i.embedding.is_some());
    let cfg = &StoryConfig {
        event_threshold: if embedded {
            cfg.event_threshold_embeddings
        } else {
            cfg.event_threshold
        },
        ..cfg.clone()
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| by_date(items, a, b));
    let mut events = if std::env::var_os("NEWSFOLD_LINK").is_some() {
        agglomerate(items, &order, cfg)
            .into_iter()
            .map(|m| Group::of(m, items))
            .collect()
    } else {
        let events = online(items, &order, cfg);
        let events = drift(items, events, cfg);
        converge(items, events, cfg)
    };
    if std::env::var_os("NEWSFOLD_CONVERGE").is_some() {
        events = converge(items, events, cfg);
    }
    let storylines = chain(&events, cfg);
    let mut event_of = vec![0; items.len()];
    for (e, g) in events.iter().enumerate() {
        for &m in &g.members {
            event_of[m] = e;
        }
    }
    let mut storyline_of = vec![0; items.len()];
    for (s, evs) in storylines.iter().enumerate() {
        for &e in evs {
            for &m in &events[e].members {
                storyline_of[m] = s;
            }
        }
    }
    Clustering {
        event_of,
        storyline_of,
        events: events.into_iter().map(|g| g.members).collect(),
        storylines,
    }
}

/// The best group among `candidates` for an item, if one reaches `threshold`; ties go to the
/// earlier group.
fn best_of(
    groups: &[Group],
    candidates: impl IntoIterator<Item = usize>,
    p: &Probe,
    cfg: &StoryConfig,
    (window, span): (u32, u32),
    threshold: f32,
) -> Option<usize> {
    candidates
        .into_iter()
        .filter(|&g| {
            let g = &groups[g];
            g.days_apart(p.date).is_none_or(|d| d <= window as i64)
                && g.span_with(p.date) <= span as i64
        })
        .map(|g| (g, groups[g].similarity(cfg, p, false)))
        .filter(|&(_, s)| s >= threshold)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(g, _)| g)
}

/// Put item `i` in the best of its candidate events (or a new one) and index it there.
fn place(
    groups: &mut Vec<Group>,
    index: &mut Postings,
    i: usize,
    p: &Probe,
    candidates: Vec<usize>,
    cfg: &StoryConfig,
) {
    let limits = (cfg.window_days, cfg.event_span_days);
    let g = best_of(groups, candidates, p, cfg, limits, cfg.event_threshold).unwrap_or_else(|| {
        groups.push(Group::default());
        groups.len() - 1
    });
    groups[g].add(i, p);
    index.add(g, p.vector, p.date);
}

/// The single pass: items in `order`, each to the best active event or a new one. Events come
/// out in order of their first member.
fn online(items: &[Item], order: &[usize], cfg: &StoryConfig) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index = Postings::default();
    for &i in order {
        let p = Probe::from(&items[i]);
        let candidates = index.candidates(p.vector, p.date, cfg.window_days);
        place(&mut groups, &mut index, i, &p, candidates, cfg);
    }
    groups
}

/// Members far from the rest of their event leave it and are placed again: in the best other
/// active event, or alone.
fn drift(items: &[Item], mut groups: Vec<Group>, cfg: &StoryConfig) -> Vec<Group> {
    let mut loose: Vec<usize> = Vec::new();
    for g in groups.iter_mut().filter(|g| g.members.len() >= 3) {
        let (stay, leave): (Vec<usize>, Vec<usize>) = g.members.iter().partition(|&&m| {
            g.similarity(cfg, &Probe::from(&items[m]), true) >= cfg.drift_threshold
        });
        if !leave.is_empty() {
            *g = Group::of(stay, items);
            loose.extend(leave);
        }
    }
    groups.retain(|g| !g.members.is_empty());
    loose.sort_by(|&a, &b| by_date(items, a, b));
    let mut index = Postings::default();
    for (k, g) in groups.iter().enumerate() {
        for &m in &g.members {
            index.add(k, &items[m].vector, items[m].date);
        }
    }
    for m in loose {
        let p = Probe::from(&items[m]);
        // The index is not in date order here, so every candidate is measured.
        let candidates = index.candidates(p.vector, None, u32::MAX);
        place(&mut groups, &mut index, m, &p, candidates, cfg);
    }
    groups.sort_by(|a, b| by_date(items, a.members[0], b.members[0]));
    for g in &mut groups {
        g.members.sort_by(|&a, &b| by_date(items, a, b));
    }
    groups
}

/// Events whose centroids are alike and whose dates are close become one, in passes over the
/// events in date order until none merges.
fn converge(items: &[Item], mut groups: Vec<Group>, cfg: &StoryConfig) -> Vec<Group> {
    for _ in 0..CONVERGE_PASSES {
        let mut merged = false;
        let mut out: Vec<Group> = Vec::with_capacity(groups.len());
        let mut index = Postings::default();
        for g in groups {
            let v = g.vector();
            let best = index
                .candidates(&v, g.first, cfg.window_days)
                .into_iter()
                .filter(|&c| {
                    let close = match (g.first, out[c].last) {
                        (Some(f), Some(l)) => (f - l).num_days() <= cfg.window_days as i64,
                        _ => true,
                    };
                    let span = match (out[c].first, g.last.or(g.first)) {
                        (Some(f), Some(l)) => (l - f).num_days().abs(),
                        _ => 0,
                    };
                    close && span <= cfg.event_span_days as i64
                })
                .map(|c| (c, out[c].cosine(&v)))
                .filter(|&(_, s)| s >= cfg.merge_threshold)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            match best {
                Some((c, _)) => {
                    for &m in &g.members {
                        out[c].add(m, &Probe::from(&items[m]));
                    }
                    index.add(c, &v, g.first);
                    merged = true;
                }
                None => {
                    index.add(out.len(), &v, g.first);
                    out.push(g);
                }
            }
        }
        groups = out;
        if !merged {
            break;
        }
    }
    for g in &mut groups {
        g.members.sort_by(|&a, &b| by_date(items, a, b));
    }
    groups
}

/// Events chained into storylines: each event, in date order, joins the storyline active in
/// the storyline window whose centroid and actors are closest, or starts one.
fn chain(events: &[Group], cfg: &StoryConfig) -> Vec<Vec<usize>> {
    let cfg = &StoryConfig {
        date_scale_days: cfg.storyline_date_scale_days,
        ..cfg.clone()
    };
    let mut lines: Vec<Group> = Vec::new();
    let mut index = Postings::default();
    for (e, g) in events.iter().enumerate() {
        let v = g.vector();
        let entities: Vec<String> = g
            .top_entities(ITEM_ENTITIES)
            .into_iter()
            .map(String::from)
            .collect();
        let p = Probe {
            vector: &v,
            entities: &entities,
            date: g.first,
            embedding: None,
        };
        let window = cfg.storyline_window_days;
        let candidates = index.candidates(&v, g.first, window);
        let l = match best_of(
            &lines,
            candidates,
            &p,
            cfg,
            (window, cfg.storyline_span_days),
            cfg.storyline_threshold,
        ) {
            Some(l) => l,
            None => {
                lines.push(Group::default());
                lines.len() - 1
            }
        };
        lines[l].add(e, &p);
        if let Some(last) = g.last {
            lines[l].last = Some(lines[l].last.map_or(last, |x| x.max(last)));
        }
        index.add(l, &v, g.first);
    }
    lines.into_iter().map(|g| g.members).collect()
}

/// Neighbours an item keeps in the similarity graph: its most similar earlier items.
const NEIGHBOURS: usize = 24;

/// How alike two items are, on the same terms as [`Group::similarity`]: text (TF-IDF cosine,
/// blended with the embedding cosine), shared entities and days apart.
fn pair_similarity(cfg: &StoryConfig, a: &Item, b: &Item) -> f32 {
    let mut text = super::terms::dot(&a.vector, &b.vector).max(0.0);
    if let (Some(x), Some(y)) = (&a.embedding, &b.embedding) {
        let c: f32 = x.iter().zip(y).map(|(p, q)| p * q).sum();
        text = (1.0 - cfg.embedding_weight) * text + cfg.embedding_weight * c.max(0.0);
    }
    let (ea, eb) = (
        &a.entities[..a.entities.len().min(ITEM_ENTITIES)],
        &b.entities[..b.entities.len().min(ITEM_ENTITIES)],
    );
    let room = ea.len().min(eb.len());
    let ent = if room == 0 {
        0.0
    } else {
        ea.iter().filter(|e| eb.contains(e)).count() as f32 / room as f32
    };
    let base = (1.0 - cfg.entity_weight) * text + cfg.entity_weight * ent;
    let near = match (a.date, b.date) {
        (Some(x), Some(y)) => {
            0.5f32.powf((x - y).num_days().abs() as f32 / cfg.date_scale_days.max(0.1))
        }
        _ => UNDATED_NEAR,
    };
    base * (1.0 - cfg.date_weight + cfg.date_weight * near)
}

/// The similarity graph: for each item (in `order`), edges to the [`NEIGHBOURS`] most similar
/// earlier items within the window that reach half the threshold, found through an inverted
/// index of heavy terms. Edges are (earlier, later, similarity), each pair once.
fn graph(items: &[Item], order: &[usize], cfg: &StoryConfig) -> Vec<(usize, usize, f32)> {
    let mut index = Postings::default();
    let mut edges = Vec::new();
    let floor = cfg.event_threshold * 0.5;
    for &i in order {
        let it = &items[i];
        let mut near: Vec<(usize, f32)> = index
            .candidates(&it.vector, it.date, cfg.window_days)
            .into_iter()
            .map(|j| (j, pair_similarity(cfg, &items[j], it)))
            .filter(|&(_, s)| s >= floor)
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.truncate(NEIGHBOURS);
        edges.extend(near.into_iter().map(|(j, s)| (j, i, s)));
        index.add(i, &it.vector, it.date);
    }
    edges
}

/// Average-linkage agglomeration over the graph: the two clusters whose members are most
/// alike on average (a missing edge counts as nothing) merge, while that average reaches the
/// threshold and the merged cluster spans at most the event span. Every item starts alone.
fn agglomerate(items: &[Item], order: &[usize], cfg: &StoryConfig) -> Vec<Vec<usize>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = items.len();
    // Clusters are named by an item; `links[c]` holds, per neighbouring cluster, the sum of
    // the similarities of the edges between them.
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut links: Vec<HashMap<usize, f32>> = vec![HashMap::new(); n];
    let mut span: Vec<(Option<NaiveDate>, Option<NaiveDate>)> =
        items.iter().map(|i| (i.date, i.date)).collect();
    let mut version = vec![0u32; n];
    let mut edges = graph(items, order, cfg);
    let mutual: f32 = std::env::var("NEWSFOLD_MUTUAL").ok().and_then(|v| v.parse().ok()).unwrap_or(0.0);
    if mutual > 0.0 {
        let mut best: Vec<(f32, usize)> = vec![(0.0, usize::MAX); n];
        for &(a, b, s) in &edges {
            if s > best[a].0 || (s == best[a].0 && b < best[a].1) { best[a] = (s, b); }
            if s > best[b].0 || (s == best[b].0 && a < best[b].1) { best[b] = (s, a); }
        }
        for e in &mut edges {
            if best[e.0].1 == e.1 && best[e.1].1 == e.0 { e.2 *= 1.0 + mutual; }
        }
    }
    for (a, b, s) in edges {
        *links[a].entry(b).or_default() += s;
        *links[b].entry(a).or_default() += s;
    }
    // Max-heap on (average, then the smaller names first), entries checked against versions.
    let mut heap: BinaryHeap<(u32, Reverse<(usize, usize)>, u32, u32)> = BinaryHeap::new();
    let key = |x: f32| (x.clamp(0.0, 4.0) * 1e9) as u32;
    for a in 0..n {
        for (&b, &s) in &links[a] {
            if a < b {
                heap.push((key(s), Reverse((a, b)), 0, 0));
            }
        }
    }
    let spans = |x: (Option<NaiveDate>, Option<NaiveDate>), y: (Option<NaiveDate>, Option<NaiveDate>)| {
        let first = [x.0, y.0].into_iter().flatten().min();
        let last = [x.1, y.1].into_iter().flatten().max();
        (first, last)
    };
    while let Some((k, Reverse((a, b)), va, vb)) = heap.pop() {
        if va != version[a] || vb != version[b] || members[a].is_empty() || members[b].is_empty() {
            continue;
        }
        if (k as f32 / 1e9) < cfg.event_threshold {
            break;
        }
        let joined = spans(span[a], span[b]);
        if let (Some(f), Some(l)) = joined {
            if (l - f).num_days() > cfg.event_span_days as i64 {
                continue;
            }
        }
        // b joins a.
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        span[a] = joined;
        version[a] += 1;
        let from_b = std::mem::take(&mut links[b]);
        links[a].remove(&b);
        for (c, s) in from_b {
            if c == a {
                continue;
            }
            links[c].remove(&b);
            *links[a].entry(c).or_default() += s;
        }
        let size_a = members[a].len() as f32;
        let neighbours: Vec<(usize, f32)> = links[a].iter().map(|(&c, &s)| (c, s)).collect();
        for (c, s) in neighbours {
            links[c].insert(a, s);
            let avg = s / (size_a * members[c].len() as f32);
            let (x, y) = if a < c { (a, c) } else { (c, a) };
            heap.push((key(avg), Reverse((x, y)), version[x], version[y]));
        }
    }
    let mut out: Vec<Vec<usize>> = members.into_iter().filter(|m| !m.is_empty()).collect();
    for m in &mut out {
        m.sort_by(|&a, &b| by_date(items, a, b));
    }
    out.sort_by(|a, b| by_date(items, a[0], b[0]));
    out
}

/// Term -> groups that have a member with that term among its heaviest, with the member's date,
/// appended in processing order (so in date order for dated members).
#[derive(Debug, Default)]
struct Postings {
    lists: HashMap<u32, Vec<(usize, Option<NaiveDate>)>>,
}

/// Groups measured per item at most: those sharing the most heavy terms with it.
const MAX_CANDIDATES: usize = 64;

/// How far back an undated item looks in one posting list.
const UNDATED_SCAN: usize = 300;

impl Postings {
    fn heaviest(v: &[(u32, f32)]) -> Vec<u32> {
        let mut t: Vec<(u32, f32)> = v.to_vec();
        t.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        t.into_iter().take(INDEX_TERMS).map(|x| x.0).collect()
    }

    fn add(&mut self, group: usize, v: &[(u32, f32)], date: Option<NaiveDate>) {
        for t in Self::heaviest(v) {
            let list = self.lists.entry(t).or_default();
            if list.last().map(|x| x.0) != Some(group) {
                list.push((group, date));
            }
        }
    }

    /// Groups with a member whose heaviest terms share one of the vector's heaviest, within `window`
    /// days before `date` (dated groups are reached from the end of each list backwards).
    fn candidates(&self, v: &[(u32, f32)], date: Option<NaiveDate>, window: u32) -> Vec<usize> {
        let mut shared: HashMap<usize, u32> = HashMap::new();
        for t in Self::heaviest(v) {
            let Some(list) = self.lists.get(&t) else {
                continue;
            };
            for (k, &(g, d)) in list.iter().rev().enumerate() {
                match (date, d) {
                    (Some(date), Some(d)) if (date - d).num_days() > window as i64 => break,
                    (None, _) if k >= UNDATED_SCAN => break,
                    _ => {}
                }
                *shared.entry(g).or_default() += 1;
            }
        }
        // The groups sharing the most heavy terms (a member may count a term more than once).
        let mut ranked: Vec<(usize, u32)> = shared.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(MAX_CANDIDATES);
        let mut out: Vec<usize> = ranked.into_iter().map(|x| x.0).collect();
        out.sort_unstable();
        out
    }
}
