//! The desk: `newsfold serve`, an HTTP server (axum on tokio) that puts the store in front of a
//! reader as server-rendered pages (stories, a story, an article, search) and the same content
//! as JSON under `/api/` (described by `docs/openapi.json`, served at `/openapi.json`).
//!
//! It only reads: the store is opened read-side through a small pool of connections, and the
//! search index through a reader that follows the index's commits, so `newsfold ingest` can run
//! beside a serving desk. Bound to loopback it is open; bound to any other address it needs an
//! access token on every request. HTTP statuses live here and nowhere else in the library. Not
//! for writing to the store, and not a general web framework: the routes are fixed.

mod api;
mod article;
mod auth;
mod cache;
pub mod client;
mod pages;
mod params;
mod search;

pub use article::ArticleView;
pub use pages::story_document;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::search::SearchIndex;
use crate::store::Store;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The desk's state: where the store is, the settings, open connections and caches.
pub struct Desk {
    db: PathBuf,
    pool: Mutex<Vec<Store>>,
    index: SearchIndex,
    cache: cache::Cache,
    aliases: crate::extract::entities::AliasTable,
    /// Searches run at most one per core, the rest wait in arrival order: under load a query
    /// then waits for those before it instead of sharing the cores with every other one,
    /// which keeps the slowest answers near the typical ones.
    searching: tokio::sync::Semaphore,
}

impl Desk {
    /// A desk over the store at `db`, which must exist, and its search index (brought up to
    /// date first, unless an ingest is writing it right now; `note` then says so).
    pub fn open(db: &Path, config: &Config) -> Result<Desk> {
        Desk::open_noting(db, config).map(|(desk, _)| desk)
    }

    /// [`Desk::open`], with what the user should hear about the search index.
    pub fn open_noting(db: &Path, config: &Config) -> Result<(Desk, Option<String>)> {
        if !db.exists() {
            return Err(Error::Usage(format!(
                "no store at {} (run `newsfold ingest PATH...` first, or pass --db)",
                db.display()
            )));
        }
        let first = Store::open(db)?;
        let aliases = config.extract.alias_table()?.into_owned();
        let mut index = SearchIndex::open(&SearchIndex::dir_for(db))?;
        let note = match index.refresh_unless_locked(&first, &aliases)? {
            Ok(r) if r.indexed > 0 || r.removed > 0 => Some(format!(
                "search index brought up to date: {} articles indexed, {} removed",
                r.indexed, r.removed
            )),
            Ok(_) => None,
            Err(note) => Some(note),
        };
        let desk = Desk {
            db: db.to_path_buf(),
            aliases,
            pool: Mutex::new(vec![first]),
            index,
            cache: cache::Cache::default(),
            searching: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, usize::from),
            ),
        };
        // Where search hits go, made before the first search waits for it.
        desk.placement()?;
        Ok((desk, note))
    }

    /// Run `f` with a store connection from the pool (opened if none is free).
    fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let taken = self.pool.lock().map_err(poisoned)?.pop();
        let store = match taken {
            Some(s) => s,
            None => Store::open(&self.db)?,
        };
        let out = f(&store);
        self.pool.lock().map_err(poisoned)?.push(store);
        out
    }
}

fn poisoned<T>(_: T) -> Error {
    Error::Internal("a desk lock was poisoned by a failed request".into())
}

/// Where and how to listen.
#[derive(Debug, Clone)]
pub struct Options {
    pub addr: SocketAddr,
    /// Required for any address other than loopback; checked on every request when set.
    pub token: Option<String>,
    /// Stop on Ctrl-C (the CLI); tests stop the server through [`Running::stop`].
    pub until_interrupted: bool,
}

/// A desk being served on its own thread.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
}

impl Running {
    /// The desk's address as a URL a browser opens.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Wait until the server ends (Ctrl-C, with `until_interrupted`).
    pub fn wait(mut self) -> Result<()> {
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| Error::Internal("the server thread panicked".into()))?,
            None => Ok(()),
        }
    }

    /// Stop serving and wait for the requests in flight.
    pub fn stop(mut self) -> Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.wait()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Bind `opts.addr` and serve the desk on a thread of its own. Refuses a non-loopback address
/// without a token, before binding anything.
pub fn start(desk: Desk, opts: &Options) -> Result<Running> {
    let token = opts.token.clone().filter(|t| !t.is_empty());
    if !opts.addr.ip().is_loopback() && token.is_none() {
        return Err(Error::Usage(format!(
            "serving on {} (not loopback) needs an access token: pass --token or set NEWSFOLD_TOKEN",
            opts.addr.ip()
        )));
    }
    let listener = std::net::TcpListener::bind(opts.addr)
        .map_err(|e| Error::io(format!("binding {}", opts.addr), e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io("configuring the listener", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("reading the bound address", e))?;
    let app = router(Arc::new(desk), token);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let interrupt = opts.until_interrupted;
    let thread = std::thread::Builder::new()
        .name("newsfold-desk".into())
        .spawn(move || -> Result<()> {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .thread_name("newsfold-desk-worker")
                .build()
                .map_err(|e| Error::io("starting the server runtime", e))?;
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)
                    .map_err(|e| Error::io("adopting the listener", e))?;
                let shutdown = async move {
                    if interrupt {
                        tokio::select! {
                            _ = rx => {}
                            _ = tokio::signal::ctrl_c() => {}
                        }
                    } else {
                        let _ = rx.await;
                    }
                };
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
                    .map_err(|e| Error::io("serving", e))
            })
        })
        .map_err(|e| Error::io("starting the server thread", e))?;
    Ok(Running {
        addr,
        stop: Some(tx),
        thread: Some(thread),
    })
}

/// Every route of the desk, behind the request guards (limits, then the token).
pub fn router(desk: Arc<Desk>, token: Option<String>) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/stories", get(pages::stories))
        .route("/stories/{id}", get(pages::story))
        .route("/articles/{id}", get(pages::article))
        .route("/search", get(search::page))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/search", get(search::api))
        .route("/openapi.json", get(api::openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(desk)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(auth::Guard::new(token)),
            auth::guard,
        ))
}

/// What went wrong with a request: the status and a message for the reader. Pages show it as
/// HTML, the API as `{"error": {"status": N, "message": "..."}}`.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
    pub json: bool,
}

impl Failure {
    fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
            json: true,
        }
    }

    fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, message)
    }

    /// The same failure, shown as a page.
    fn page(mut self) -> Failure {
        self.json = false;
        self
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        match e {
            Error::Usage(m) => Failure::bad_request(m),
            other => Failure::new(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if self.json {
            let body = serde_json::json!({
                "error": { "status": self.status.as_u16(), "message": self.message }
            });
            (self.status, axum::Json(body)).into_response()
        } else {
            (self.status, pages::error_page(self.status, &self.message)).into_response()
        }
    }
}

async fn not_found(uri: axum::http::Uri) -> Failure {
    let f = Failure::not_found(format!("nothing at {}", uri.path()));
    if uri.path().starts_with("/api/") {
        f
    } else {
        f.page()
    }
}

async fn method_not_allowed() -> Failure {
    Failure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "the desk only reads: use GET",
    )
}

/// Run blocking store work off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::result::Result<T, Failure> + Send + 'static,
) -> std::result::Result<T, Failure> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("a request failed: {e}"),
        )
    })?
}

/// What the routes read, shared by the pages and the API.
impl Desk {
    /// Empty the caches if the stories were built again since they were filled.
    fn sync(&self, store: &Store) -> Result<()> {
        self.cache.sync(crate::store::stories::generation(store)?)
    }

    /// The stories of the filter's level that pass it, newest first.
    fn stories(&self, filter: &params::StoryFilter) -> Result<Vec<crate::stories::Summary>> {
        let all = self.with_store(|store| {
            self.sync(store)?;
            self.cache.list(filter.level(), || {
                crate::store::stories::list(store, filter.level(), None)
            })
        })?;
        Ok(all
            .iter()
            .filter(|s| filter.keep.keeps(s))
            .cloned()
            .collect())
    }

    /// The full report of one story (by id or unique prefix).
    fn report(&self, id: &str) -> Result<Option<Arc<crate::stories::report::StoryReport>>> {
        self.with_store(|store| {
            self.sync(store)?;
            let Some(summary) = crate::store::stories::get(store, id)? else {
                return Ok(None);
            };
            let key = summary.id.clone();
            self.cache.report(&key, || {
                let members = crate::store::stories::members(store, &summary)?;
                Ok(Some(crate::stories::report::build(
                    summary,
                    &members,
                    &self.aliases,
                )))
            })
        })
    }

    /// Each article's event and each event's headline, for placing search hits.
    fn placement(&self) -> Result<Arc<cache::Placement>> {
        self.with_store(|store| {
            self.sync(store)?;
            let events = self.cache.list(crate::stories::Level::Event, || {
                crate::store::stories::list(store, crate::stories::Level::Event, None)
            })?;
            self.cache.placement(|| {
                Ok(cache::Placement {
                    event_of: crate::store::stories::events_by_article(store)?,
                    headline: events
                        .iter()
                        .map(|s| (s.id.clone(), s.headline.clone()))
                        .collect(),
                })
            })
        })
    }

    /// A story page already rendered for this id, after checking the stories are current.
    fn rendered(&self, id: &str) -> Result<Option<axum::body::Bytes>> {
        self.with_store(|store| self.sync(store))?;
        self.cache.rendered(id)
    }

    /// One article's view; `compare` names the copy to diff against.
    fn article(&self, id: &str, compare: Option<&str>) -> Result<Option<ArticleView>> {
        self.with_store(|store| match store.article(id)? {
            None => Ok(None),
            Some(a) => ArticleView::build(store, a, &self.aliases, compare).map(Some),
        })
    }
}
