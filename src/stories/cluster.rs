//! Clustering of articles into events, then of events into storylines.
//!
//! Articles are taken in date order (ties by id; undated ones last), so the result does not
//! depend on the order they were read in. Each is linked to its most similar articles of the
//! days before it (text, shared entities, date), found through an inverted index of their
//! heaviest terms; events are then built from those links by average linkage: the two events
//! most alike over all their pairs of articles merge, until no pair of events reaches the
//! threshold. Unlike feeding articles one by one to the nearest event, this neither lets an
//! event drift away from its first articles nor depends on which article came first. Events
//! are chained into storylines, in date order, with a wider window and a lower bar, on their
//! centroids and shared actors.
//!
//! This module sees numbers, not articles: terms, entities, dates and embeddings come from
//! [`super::features`]. It is not a topic model: a storyline is a chain of events, not a theme.

use super::terms::{Vector, VECTOR_TERMS};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
// FxHash: the maps are keyed by term ids, member indexes and short names, hashed millions of
// times per build; SipHash led a profile of it, and FxHash made clustering AllSides 16% faster.
use rustc_hash::FxHashMap as HashMap;

/// The stories stage's settings (`[stories]` in the configuration file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StoryConfig {
    /// An article is compared with the articles at most this many days before it.
    pub window_days: u32,
    /// An event spans at most this many days from its first article to its last.
    pub event_span_days: u32,
    /// The average similarity over all pairs of two events' articles needed for them to
    /// become one (0..1).
    pub event_threshold: f32,
    /// The same with sentence embeddings, whose cosines run higher than TF-IDF's.
    pub event_threshold_embeddings: f32,
    /// An edge between two articles that are each other's most similar counts this much
    /// more (0 turns it off).
    pub mutual_boost: f32,
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
    /// The share of the lexical text similarity given to the titles' cosine (0..1): in a long
    /// article the title's words are few among the body's, yet two headlines of one event
    /// share their rarest words.
    pub title_weight: f32,
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
            event_threshold: 0.10,
            event_threshold_embeddings: 0.22,
            mutual_boost: 0.5,
            storyline_window_days: 90,
            storyline_span_days: 180,
            storyline_threshold: 0.18,
            storyline_date_scale_days: 30.0,
            entity_weight: 0.1,
            embedding_weight: 0.5,
            title_weight: 0.5,
            date_weight: 0.7,
            date_scale_days: 1.0,
            embeddings: true,
            model_dir: None,
        }
    }
}

/// The days an item is from: one day for a dated item; for an undated one placed by ingest
/// order, the days of the dated records on either side of it in its input. Kept as day
/// numbers, cheap to compare in a long posting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dates {
    first: i32,
    last: i32,
}

impl Dates {
    /// One day.
    pub fn on(d: NaiveDate) -> Dates {
        Dates::between(d, d)
    }

    /// The days from `a` to `b`, whichever is earlier.
    pub fn between(a: NaiveDate, b: NaiveDate) -> Dates {
        use chrono::Datelike;
        let (a, b) = (a.num_days_from_ce(), b.num_days_from_ce());
        Dates {
            first: a.min(b),
            last: a.max(b),
        }
    }

    /// The day, when it is one.
    fn exact(self) -> Option<NaiveDate> {
        (self.first == self.last)
            .then(|| NaiveDate::from_num_days_from_ce_opt(self.first))
            .flatten()
    }

    /// The days of both and those between.
    fn union(self, other: Dates) -> Dates {
        Dates {
            first: self.first.min(other.first),
            last: self.last.max(other.last),
        }
    }

    fn width(self) -> i32 {
        self.last - self.first
    }

    /// Days between the two, 0 where they overlap.
    fn gap(self, other: Dates) -> i32 {
        (other.first - self.last)
            .max(self.first - other.last)
            .max(0)
    }
}

/// One unit to cluster: a copy group's representative.
#[derive(Debug, Clone)]
pub struct Item {
    /// Article id, for ordering ties.
    pub id: String,
    pub date: Option<Dates>,
    /// TF-IDF vector ([`super::terms::Vocabulary::vector`]).
    pub vector: Vector,
    /// TF-IDF vector of the title's words alone, over the corpus's titles (empty without one).
    pub title: Vector,
    /// The people, organisations and places it names, most named first, as ids of their
    /// canonical names numbered in the names' sorted order ([`super::entity_ids`]), so that
    /// ties among them break as the names would.
    pub entities: Vec<u32>,
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
/// that it joins on text alone only when the text is close. An item placed between days far
/// apart gets as little inside them, and less outside.
const UNDATED_NEAR: f32 = 0.15;

/// Entities of a group that an item's are compared with.
const GROUP_ENTITIES: usize = ITEM_ENTITIES * 2;

/// Terms of a member put in the inverted index.
const INDEX_TERMS: usize = 32;
/// Entities of an item that count in the entity similarity.
pub const ITEM_ENTITIES: usize = 16;

/// A group being built: the sum of its members' vectors and what the similarity needs.
#[derive(Debug, Clone, Default)]
struct Group {
    members: Vec<usize>,
    centroid: HashMap<u32, f32>,
    norm2: f32,
    entities: HashMap<u32, u32>,
    /// The entities most members share ([`GROUP_ENTITIES`] of them), kept up to date by `add`.
    top: Vec<u32>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    embedding: Option<Vec<f32>>,
}

/// What [`Group::similarity`] needs of one item (an article, or an event when storylines are
/// built).
struct Probe<'a> {
    vector: &'a [(u32, f32)],
    entities: &'a [u32],
    date: Option<NaiveDate>,
    embedding: Option<&'a [f32]>,
}

impl<'a> From<&'a Item> for Probe<'a> {
    fn from(it: &'a Item) -> Self {
        Probe {
            vector: &it.vector,
            entities: &it.entities,
            date: it.date.and_then(Dates::exact),
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
        for &e in p.entities.iter().take(ITEM_ENTITIES) {
            *self.entities.entry(e).or_default() += 1;
            // Counts only grow, so the top list changes only by the entity just counted.
            if !self.top.contains(&e) {
                self.top.push(e);
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
    fn top_entities(&self, n: usize) -> &[u32] {
        &self.top[..self.top.len().min(n)]
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
    /// dates.
    fn similarity(&self, cfg: &StoryConfig, p: &Probe) -> f32 {
        let mut text = if self.norm2 > 1e-9 {
            (self.cross(p.vector) / self.norm2.sqrt()).max(0.0)
        } else {
            0.0
        };
        if let (Some(sum), Some(e)) = (&self.embedding, p.embedding) {
            let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 1e-6 {
                let c = sum.iter().zip(e).map(|(a, b)| a * b).sum::<f32>() / norm;
                text = (1.0 - cfg.embedding_weight) * text + cfg.embedding_weight * c.max(0.0);
            }
        }
        let mine = &p.entities[..p.entities.len().min(ITEM_ENTITIES)];
        let top = self.top_entities(GROUP_ENTITIES);
        let shared = mine.iter().filter(|e| top.contains(e)).count();
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

/// Processing order: dated items by date, then those placed between two days, then undated
/// ones; ties by id. [`Postings::candidates`] relies on the dated ones coming first.
fn by_date<'a>(items: &'a [Item], a: usize, b: usize) -> std::cmp::Ordering {
    let key = |i: &'a Item| {
        let class = match i.date {
            Some(d) if d.width() == 0 => 0,
            Some(_) => 1,
            None => 2,
        };
        (class, i.date, i.id.as_str())
    };
    key(&items[a]).cmp(&key(&items[b]))
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
    let events: Vec<Group> = agglomerate(items, &order, cfg)
        .into_iter()
        .map(|m| Group::of(m, items))
        .collect();
    let storylines = chain(&events, items, cfg);
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
        .map(|g| (g, groups[g].similarity(cfg, p)))
        .filter(|&(_, s)| s >= threshold)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(g, _)| g)
}

/// Events chained into storylines: each event, in date order, joins the storyline active in
/// the storyline window whose centroid and actors are closest, or starts one. An event of
/// placed articles only looks for storylines about the days they were placed on.
fn chain(events: &[Group], items: &[Item], cfg: &StoryConfig) -> Vec<Vec<usize>> {
    let cfg = &StoryConfig {
        date_scale_days: cfg.storyline_date_scale_days,
        ..cfg.clone()
    };
    let mut lines: Vec<Group> = Vec::new();
    let mut index = Postings::default();
    for (e, g) in events.iter().enumerate() {
        let v = g.vector();
        let p = Probe {
            vector: &v,
            entities: g.top_entities(ITEM_ENTITIES),
            date: g.first,
            embedding: None,
        };
        let window = cfg.storyline_window_days;
        let heavy = Postings::heaviest(&v);
        let days = g.first.map(Dates::on).or_else(|| {
            g.members
                .iter()
                .filter_map(|&m| items[m].date)
                .reduce(Dates::union)
        });
        let candidates = index.candidates(&heavy, days, window, STORYLINE_CANDIDATES);
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
        index.add(l, &heavy, days);
    }
    lines.into_iter().map(|g| g.members).collect()
}

/// Neighbours an item keeps in the similarity graph: its most similar earlier items.
const NEIGHBOURS: usize = 24;

/// How alike two items are, on the same terms as [`Group::similarity`]: text (TF-IDF cosine,
/// `cosine` here, blended with the embedding cosine), shared entities and days apart.
fn pair_similarity(cfg: &StoryConfig, a: &Item, b: &Item, cosine: f32) -> f32 {
    let mut text = cosine.max(0.0);
    if cfg.title_weight > 0.0 && !a.title.is_empty() && !b.title.is_empty() {
        let t = super::terms::dot(&a.title, &b.title);
        text = (1.0 - cfg.title_weight) * text + cfg.title_weight * t;
    }
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
    // Days apart halve the date's share; an item placed between two days counts as undated
    // inside them, the more so the further apart they are.
    let near = match (a.date, b.date) {
        (Some(x), Some(y)) => {
            let scale = cfg.date_scale_days.max(0.1);
            let width = x.width().max(y.width()) as f32;
            0.5f32.powf(width / scale).max(UNDATED_NEAR) * 0.5f32.powf(x.gap(y) as f32 / scale)
        }
        _ => UNDATED_NEAR,
    };
    base * (1.0 - cfg.date_weight + cfg.date_weight * near)
}

/// An edge of the similarity graph: two positions in processing order, earlier first, and
/// how alike their items are.
type Edge = (usize, usize, f32);

/// The similarity graph over positions in `order`: each item's edges to the [`NEIGHBOURS`]
/// most similar earlier items within the window that reach half the event threshold, found
/// through an inverted index of heavy terms. Each pair once. An edge between two items that
/// are each other's most similar gains `mutual_boost` of itself.
fn graph(items: &[Item], order: &[usize], cfg: &StoryConfig) -> Vec<Edge> {
    let mut index = Postings::default();
    let mut edges = Vec::new();
    let floor = cfg.event_threshold * 0.5;
    // The item being linked, as a dense vector: a candidate's cosine is then one lookup per
    // term of its own, not a merge of two sparse lists (same sums, in the same order).
    let terms = items
        .iter()
        .filter_map(|i| i.vector.last())
        .map(|x| x.0 as usize + 1)
        .max()
        .unwrap_or(0);
    let mut dense = vec![0.0f32; terms];
    for (p, &i) in order.iter().enumerate() {
        let it = &items[i];
        for &(t, w) in &it.vector {
            dense[t as usize] = w;
        }
        let heavy = Postings::heaviest(&it.vector);
        let mut near: Vec<(usize, f32)> = index
            .candidates(&heavy, it.date, cfg.window_days, MAX_CANDIDATES)
            .into_iter()
            .map(|q| {
                let other = &items[order[q]];
                let cosine = other
                    .vector
                    .iter()
                    .map(|&(t, w)| dense[t as usize] * w)
                    .sum();
                (q, pair_similarity(cfg, other, it, cosine))
            })
            .filter(|&(_, s)| s >= floor)
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.truncate(NEIGHBOURS);
        edges.extend(near.into_iter().map(|(q, s)| (q, p, s)));
        index.add(p, &heavy, it.date);
        for &(t, _) in &it.vector {
            dense[t as usize] = 0.0;
        }
    }
    if cfg.mutual_boost > 0.0 {
        // Each position's best neighbour (ties to the earlier one).
        let mut best: Vec<(f32, usize)> = vec![(f32::MIN, usize::MAX); order.len()];
        let mut offer = |at: usize, to: usize, s: f32| {
            let b = &mut best[at];
            if s > b.0 || (s == b.0 && to < b.1) {
                *b = (s, to);
            }
        };
        for &(a, b, s) in &edges {
            offer(a, b, s);
            offer(b, a, s);
        }
        for e in &mut edges {
            if best[e.0].1 == e.1 && best[e.1].1 == e.0 {
                e.2 *= 1.0 + cfg.mutual_boost;
            }
        }
    }
    edges
}

/// Events by average linkage over the similarity graph. Every item starts alone; the two
/// clusters most alike on average over all their pairs (a pair without an edge counts as 0)
/// merge, as long as that average reaches the event threshold and the merged cluster spans
/// at most the event span. A cluster cannot grow by a chain of near neighbours, as one fed
/// article by article can, since every member weighs in every later merge.
///
/// Clusters are named by a position in `order`, and ties go to the smaller names, so the
/// result depends on the items, not on the order they came in. Returns item indexes, each
/// event's in processing order, the events by their first member.
fn agglomerate(items: &[Item], order: &[usize], cfg: &StoryConfig) -> Vec<Vec<usize>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    type Span = (Option<NaiveDate>, Option<NaiveDate>);
    let n = order.len();
    let mut members: Vec<Vec<usize>> = (0..n).map(|p| vec![p]).collect();
    // Only a dated item's day counts in an event's span: one placed between two days is in
    // no more than one of them.
    let mut span: Vec<Span> = order
        .iter()
        .map(|&i| {
            let d = items[i].date.and_then(Dates::exact);
            (d, d)
        })
        .collect();
    // Per cluster, per neighbouring cluster: the sum of the edges between them.
    let mut links: Vec<HashMap<usize, f32>> = vec![HashMap::default(); n];
    for (a, b, s) in graph(items, order, cfg) {
        *links[a].entry(b).or_default() += s;
        *links[b].entry(a).or_default() += s;
    }
    // Entries are (average, names, versions of the two at the time); one whose versions are
    // not the clusters' current ones is stale. The bits of a non-negative f32 order as it does.
    // Only averages that reach the threshold are pushed: the others never merge, and on the
    // AllSides corpus they were 120,000 of the heap's 190,000 first entries.
    type Entry = (u32, Reverse<(usize, usize)>, (u32, u32));
    let mut version = vec![0u32; n];
    let mut heap: BinaryHeap<Entry> = links
        .iter()
        .enumerate()
        .flat_map(|(a, l)| {
            l.iter()
                .filter(move |e| a < *e.0)
                .map(move |(&b, &s)| (a, b, s))
        })
        .filter(|&(_, _, s)| s >= cfg.event_threshold)
        .map(|(a, b, s)| (s.max(0.0).to_bits(), Reverse((a, b)), (0, 0)))
        .collect();
    let joined = |x: Span, y: Span| -> Span {
        let first = [x.0, y.0].into_iter().flatten().min();
        let last = [x.1, y.1].into_iter().flatten().max();
        (first, last)
    };
    while let Some((_, Reverse((a, b)), at)) = heap.pop() {
        if at != (version[a], version[b]) || members[a].is_empty() || members[b].is_empty() {
            continue;
        }
        let both = joined(span[a], span[b]);
        if let (Some(f), Some(l)) = both {
            if (l - f).num_days() > cfg.event_span_days as i64 {
                continue;
            }
        }
        // `b` joins `a`.
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        span[a] = both;
        version[a] += 1;
        let mut merged = std::mem::take(&mut links[a]);
        merged.remove(&b);
        for (c, s) in std::mem::take(&mut links[b]) {
            if c != a {
                links[c].remove(&b);
                *merged.entry(c).or_default() += s;
            }
        }
        let size = members[a].len() as f32;
        for (&c, &s) in &merged {
            links[c].insert(a, s);
            let (x, y) = (a.min(c), a.max(c));
            let average = s / (size * members[c].len() as f32);
            if average >= cfg.event_threshold {
                heap.push((
                    average.max(0.0).to_bits(),
                    Reverse((x, y)),
                    (version[x], version[y]),
                ));
            }
        }
        links[a] = merged;
    }
    // Positions are in processing order, so sorted positions are sorted members.
    members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|mut m| {
            m.sort_unstable();
            m.into_iter().map(|p| order[p]).collect()
        })
        .collect()
}

/// Term -> groups that have a member with that term among its heaviest, with the member's dates,
/// appended in processing order ([`by_date`]: dated members first, in date order).
#[derive(Debug, Default)]
struct Postings {
    lists: HashMap<u32, List>,
    /// Scratch for [`Postings::candidates`]: heavy terms shared, per group, and the groups
    /// counted so far.
    shared: Vec<u32>,
    touched: Vec<usize>,
}

/// One term's posting list: dated entries first, in date order, then the others.
#[derive(Debug, Default)]
struct List {
    entries: Vec<(usize, Option<Dates>)>,
    /// How many entries at the head have one day each, counted as they are added. Found by a
    /// binary search instead, in a list that grows with the corpus, that boundary cost a cache
    /// miss a step, and the graph's time per article grew by half from 10,000 articles to
    /// 37,554 (README).
    dated: usize,
}

/// Groups measured per item at most: those sharing the most heavy terms with it.
const MAX_CANDIDATES: usize = 64;
/// The same for an event looking for its storyline. Storylines are few and broad, so the
/// right one is among those sharing the most terms: 16 rather than 64 halved the chaining's
/// time on stories-dev among AllSides (1.56 to 0.82 s) and left the gold's storyline scores
/// as they were (README).
const STORYLINE_CANDIDATES: usize = 16;

/// How far back an item looks in one posting list: within its window, at most this many of
/// the latest dated entries, and as many of the others. Without the cap a common heavy term's
/// list grows with the articles per week, and so would the cost per article.
const LIST_SCAN: usize = 300;

impl Postings {
    fn heaviest(v: &[(u32, f32)]) -> Vec<u32> {
        let mut t: Vec<(u32, f32)> = v.to_vec();
        t.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        t.into_iter().take(INDEX_TERMS).map(|x| x.0).collect()
    }

    fn add(&mut self, group: usize, heavy: &[u32], date: Option<Dates>) {
        for &t in heavy {
            let list = self.lists.entry(t).or_default();
            if list.entries.last().map(|x| x.0) != Some(group) {
                list.entries.push((group, date));
                if date.is_some_and(|d| d.width() == 0) {
                    list.dated += 1;
                }
            }
        }
    }

    /// Groups with a member whose heaviest terms share one of the vector's heaviest, within
    /// `window` days of `date`: of each list, the latest [`LIST_SCAN`] dated entries in reach
    /// and the latest as many of the others (those that overlap the window, for a probe with
    /// dates; any, for an undated one). At most `most` of them, those sharing the most terms.
    fn candidates(
        &mut self,
        heavy: &[u32],
        date: Option<Dates>,
        window: u32,
        most: usize,
    ) -> Vec<usize> {
        let window = window as i32;
        let Postings {
            lists,
            shared,
            touched,
        } = self;
        let mut count = |g: usize| {
            if g >= shared.len() {
                shared.resize(g + 1, 0);
            }
            if shared[g] == 0 {
                touched.push(g);
            }
            shared[g] += 1;
        };
        for t in heavy {
            let Some(list) = lists.get(t) else {
                continue;
            };
            let Some(date) = date else {
                for &(g, _) in list.entries.iter().rev().take(LIST_SCAN) {
                    count(g);
                }
                continue;
            };
            let (dated, rest) = list.entries.split_at(list.dated);
            // Dated entries are in date order, and a dated probe comes after them all: the
            // whole of them is then in reach, and only a placed probe needs the search.
            let in_reach =
                |e: &(usize, Option<Dates>)| e.1.is_some_and(|d| d.first - date.last <= window);
            let reach = if dated.last().is_none_or(in_reach) {
                dated.len()
            } else {
                dated.partition_point(in_reach)
            };
            for &(g, d) in dated[..reach].iter().rev().take(LIST_SCAN) {
                if d.is_some_and(|d| d.gap(date) > window) {
                    break;
                }
                count(g);
            }
            for &(g, d) in rest.iter().rev().take(LIST_SCAN) {
                if d.is_some_and(|d| d.gap(date) <= window) {
                    count(g);
                }
            }
        }
        // The groups sharing the most heavy terms (a member may count a term more than once).
        let mut ranked: Vec<(usize, u32)> = touched
            .drain(..)
            .map(|g| (g, std::mem::take(&mut shared[g])))
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(most);
        let mut out: Vec<usize> = ranked.into_iter().map(|x| x.0).collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item of the given terms (equal weights), on day `day` of July 2016.
    fn item(id: &str, day: u32, terms: &[u32]) -> Item {
        let mut vector: Vector = terms.iter().map(|&t| (t, 1.0)).collect();
        vector.sort_unstable_by_key(|x| x.0);
        super::super::terms::normalise(&mut vector);
        Item {
            id: id.into(),
            date: NaiveDate::from_ymd_opt(2016, 7, day).map(Dates::on),
            vector,
            title: Vec::new(),
            entities: Vec::new(),
            embedding: None,
        }
    }

    /// The events as sets of ids, sorted, whatever order the items came in.
    fn events(items: &[Item], cfg: &StoryConfig) -> Vec<Vec<String>> {
        let c = cluster(items, cfg);
        let mut out: Vec<Vec<String>> = c
            .events
            .iter()
            .map(|e| {
                let mut ids: Vec<String> = e.iter().map(|&i| items[i].id.clone()).collect();
                ids.sort();
                ids
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn postings_reach_back_over_the_window_from_a_dated_or_a_placed_probe() {
        let day = |d| NaiveDate::from_ymd_opt(2016, 7, d).expect("a July day");
        let mut index = Postings::default();
        for (g, d) in [1, 5, 10, 20, 30].into_iter().enumerate() {
            index.add(g, &[7], Some(Dates::on(day(d))));
        }
        index.add(5, &[7], Some(Dates::between(day(28), day(31))));
        // A dated probe comes after every dated entry: those within the week, and the
        // placed entry whose days overlap it.
        assert_eq!(
            index.candidates(&[7], Some(Dates::on(day(31))), 7, MAX_CANDIDATES),
            [4, 5]
        );
        // A placed probe between days 2 and 4 reaches back from day 10, not from day 30.
        let placed = Some(Dates::between(day(2), day(4)));
        assert_eq!(index.candidates(&[7], placed, 7, MAX_CANDIDATES), [0, 1, 2]);
        assert_eq!(
            index.candidates(&[8], placed, 7, MAX_CANDIDATES),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn a_chain_of_neighbours_is_not_one_event() {
        // a~b and b~c share half their terms, a and c nothing: a one-by-one pass that joins b
        // to a would then take c on b's terms; on average c is too far from a and b.
        let items = vec![
            item("a", 1, &[1, 2, 3, 4]),
            item("b", 1, &[3, 4, 5, 6]),
            item("c", 1, &[5, 6, 7, 8]),
        ];
        let cfg = StoryConfig {
            event_threshold: 0.3,
            mutual_boost: 0.0,
            ..StoryConfig::default()
        };
        let got = events(&items, &cfg);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got
            .iter()
            .all(|e| !(e.contains(&"a".into()) && e.contains(&"c".into()))));
    }

    #[test]
    fn events_do_not_depend_on_the_order_of_the_items() {
        // Two topics over a few days, with ties in similarity and in date.
        let mut items = Vec::new();
        for k in 0..12u32 {
            let base = if k % 2 == 0 { 0 } else { 100 };
            items.push(item(
                &format!("{k:02}"),
                1 + k / 4,
                &[base + 1, base + 2, base + 10 + k % 3],
            ));
        }
        let cfg = StoryConfig::default();
        let want = events(&items, &cfg);
        assert!(want.len() >= 2, "{want:?}");
        let mut reversed = items.clone();
        reversed.reverse();
        assert_eq!(events(&reversed, &cfg), want);
        let mut rotated = items.clone();
        rotated.rotate_left(5);
        assert_eq!(events(&rotated, &cfg), want);
    }

    #[test]
    fn an_item_placed_between_two_days_joins_what_lies_between_them() {
        let day = |d| NaiveDate::from_ymd_opt(2016, 7, d).expect("a July day");
        let placed = |id: &str, (a, b), terms: &[u32]| Item {
            date: Some(Dates::between(day(a), day(b))),
            ..item(id, 1, terms)
        };
        let items = vec![
            item("early", 2, &[1, 2, 3, 4]),
            item("late", 28, &[1, 2, 3, 4]),
            // Ties go to the earlier event, so this one is in "late" only by its days.
            placed("between", (25, 30), &[1, 2, 3, 4]),
            // Two side by side in a crawl whose dated records are weeks apart.
            placed("left", (1, 30), &[50, 51, 52]),
            placed("right", (1, 30), &[50, 51, 52]),
        ];
        let got = events(&items, &StoryConfig::default());
        assert!(
            got.contains(&vec!["between".into(), "late".into()]),
            "{got:?}"
        );
        assert!(got.contains(&vec!["early".into()]), "{got:?}");
        assert!(
            got.contains(&vec!["left".into(), "right".into()]),
            "{got:?}"
        );
    }

    #[test]
    fn headlines_alike_join_articles_whose_bodies_differ() {
        // The bodies share one term of sixteen; the headlines are the same words.
        let a: Vec<u32> = (1..=16).collect();
        let b: Vec<u32> = [1].into_iter().chain(101..116).collect();
        let titled = |id: &str, terms: &[u32]| Item {
            title: vec![(900, 0.6), (901, 0.8)],
            ..item(id, 3, terms)
        };
        let items = vec![titled("a", &a), titled("b", &b)];
        let apart = StoryConfig {
            title_weight: 0.0,
            ..StoryConfig::default()
        };
        assert_eq!(events(&items, &apart).len(), 2);
        assert_eq!(events(&items, &StoryConfig::default()).len(), 1);
        // Without titles the weight changes nothing.
        let untitled = vec![item("a", 3, &a), item("b", 3, &b)];
        assert_eq!(events(&untitled, &StoryConfig::default()).len(), 2);
    }

    #[test]
    fn an_event_of_placed_articles_joins_a_storyline_of_its_days() {
        // Regression (issue 6): an event with no dated member was chained with no date, so it
        // joined the closest of the latest storylines, months from the days it was placed on.
        let day = |d| NaiveDate::from_ymd_opt(2016, 7, d).expect("a July day");
        let later = day(2) + chrono::Days::new(200);
        let items = vec![
            item("early", 2, &[1, 2, 3, 5]),
            Item {
                date: Some(Dates::on(later)),
                ..item("late", 2, &[1, 2, 3, 4])
            },
            Item {
                date: Some(Dates::between(day(1), day(5))),
                ..item("placed", 2, &[1, 2, 3, 4])
            },
        ];
        // Each article its own event, so that only the chaining decides.
        let cfg = StoryConfig {
            event_threshold: 0.99,
            storyline_threshold: 0.1,
            ..StoryConfig::default()
        };
        let c = cluster(&items, &cfg);
        assert_eq!(c.events.len(), 3);
        assert_eq!(c.storyline_of[2], c.storyline_of[0], "{:?}", c.storylines);
        assert_ne!(c.storyline_of[2], c.storyline_of[1], "{:?}", c.storylines);
    }

    #[test]
    fn an_event_spans_at_most_the_event_span() {
        // The same text every day for a month: events cut at the span, not one for all.
        let items: Vec<Item> = (1..=30)
            .map(|d| item(&format!("{d:02}"), d, &[1, 2, 3]))
            .collect();
        let cfg = StoryConfig {
            event_span_days: 5,
            ..StoryConfig::default()
        };
        let c = cluster(&items, &cfg);
        assert!(c.events.len() >= 5, "{} events", c.events.len());
        for e in &c.events {
            let days: Vec<NaiveDate> = e
                .iter()
                .filter_map(|&i| items[i].date.and_then(Dates::exact))
                .collect();
            let span = *days.iter().max().unwrap() - *days.iter().min().unwrap();
            assert!(span.num_days() <= 5, "{span}");
        }
    }
}
