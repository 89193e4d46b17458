//! What the desk keeps between requests: the story lists, the story reports it assembled and
//! the story pages it rendered, valid for one build of the stories. Every request first reads the build's fingerprint
//! (one row); a new build (an ingest beside the desk) empties the cache.

use crate::error::{Error, Result};
use crate::stories::report::StoryReport;
use crate::stories::{Level, Summary};
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Story reports (and pages) kept at most; past it that part of the cache starts again.
const REPORTS: usize = 8192;

#[derive(Default)]
pub struct Cache {
    inner: Mutex<Inner>,
    /// Held while a story list or the placement is made, so that concurrent requests wait for
    /// one build instead of each making its own.
    building: Mutex<()>,
}

#[derive(Default)]
struct Inner {
    generation: Option<String>,
    lists: HashMap<Level, Arc<Vec<Summary>>>,
    reports: HashMap<String, Arc<StoryReport>>,
    /// Rendered pages as response bytes, which a response shares instead of copying.
    pages: HashMap<String, Arc<Bytes>>,
    /// Article id -> its event; event id -> its headline.
    events: Option<Arc<Placement>>,
}

/// Where search hits go: each article's event and each event's headline.
#[derive(Default)]
pub struct Placement {
    pub event_of: HashMap<String, String>,
    pub headline: HashMap<String, Option<String>>,
}

/// The cached value of `id` in one of the maps, or `make`'s, kept.
fn keep<T>(
    cache: &Cache,
    map: fn(&mut Inner) -> &mut HashMap<String, Arc<T>>,
    id: &str,
    make: impl FnOnce() -> Result<Option<T>>,
) -> Result<Option<Arc<T>>> {
    if let Some(v) = map(&mut *cache.lock()?).get(id) {
        return Ok(Some(v.clone()));
    }
    let Some(made) = make()? else {
        return Ok(None);
    };
    let made = Arc::new(made);
    let mut inner = cache.lock()?;
    let m = map(&mut inner);
    if m.len() >= REPORTS {
        m.clear();
    }
    m.insert(id.to_string(), made.clone());
    Ok(Some(made))
}

impl Cache {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>> {
        self.inner
            .lock()
            .map_err(|_| Error::Internal("the desk's cache lock was poisoned".into()))
    }

    fn build_lock(&self) -> Result<std::sync::MutexGuard<'_, ()>> {
        self.building
            .lock()
            .map_err(|_| Error::Internal("the desk's cache lock was poisoned".into()))
    }

    /// Forget everything if the stories were built again since.
    pub fn sync(&self, generation: Option<String>) -> Result<()> {
        let mut inner = self.lock()?;
        if inner.generation != generation {
            *inner = Inner {
                generation,
                ..Inner::default()
            };
        }
        Ok(())
    }

    pub fn list(
        &self,
        level: Level,
        make: impl FnOnce() -> Result<Vec<Summary>>,
    ) -> Result<Arc<Vec<Summary>>> {
        if let Some(l) = self.lock()?.lists.get(&level) {
            return Ok(l.clone());
        }
        let _one = self.build_lock()?;
        if let Some(l) = self.lock()?.lists.get(&level) {
            return Ok(l.clone());
        }
        let made = Arc::new(make()?);
        self.lock()?.lists.insert(level, made.clone());
        Ok(made)
    }

    pub fn report(
        &self,
        id: &str,
        make: impl FnOnce() -> Result<Option<StoryReport>>,
    ) -> Result<Option<Arc<StoryReport>>> {
        keep(self, |i| &mut i.reports, id, make)
    }

    /// Whether the placement is made (for the current build, as far as the last check knows).
    pub fn has_placement(&self) -> bool {
        self.lock().is_ok_and(|i| i.events.is_some())
    }

    /// The articles' events and the events' headlines.
    pub fn placement(&self, make: impl FnOnce() -> Result<Placement>) -> Result<Arc<Placement>> {
        if let Some(p) = &self.lock()?.events {
            return Ok(p.clone());
        }
        let _one = self.build_lock()?;
        if let Some(p) = &self.lock()?.events {
            return Ok(p.clone());
        }
        let made = Arc::new(make()?);
        self.lock()?.events = Some(made.clone());
        Ok(made)
    }

    /// A story page rendered before, by the id it was asked for.
    pub fn rendered(&self, id: &str) -> Result<Option<Bytes>> {
        Ok(self.lock()?.pages.get(id).map(|p| Bytes::clone(p)))
    }

    /// A story's rendered page.
    pub fn page(&self, id: &str, make: impl FnOnce() -> Result<Bytes>) -> Result<Bytes> {
        let page = keep(self, |i| &mut i.pages, id, || make().map(Some))?;
        Ok(page.map(|p| Bytes::clone(&p)).unwrap_or_default())
    }
}
