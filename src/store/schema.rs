//! The store's schema as numbered migrations. `PRAGMA user_version` records how far a store
//! has come; opening a store applies the missing ones, each in its own transaction. A
//! migration, once released, is never edited: a change is a new migration.

pub const MIGRATIONS: &[&str] = &[
    // 1: inputs, raw documents, outlets, articles.
    r#"
CREATE TABLE inputs (
    hash        TEXT PRIMARY KEY,          -- BLAKE3 of the input's bytes as given
    path        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    compression TEXT NOT NULL,
    complete    INTEGER NOT NULL DEFAULT 0 -- 1 once every document of it was read
);

CREATE TABLE raw_documents (
    hash        TEXT PRIMARY KEY,          -- BLAKE3 of the document's bytes
    source_path TEXT NOT NULL,
    input_hash  TEXT NOT NULL REFERENCES inputs(hash),
    compression TEXT NOT NULL,
    size        INTEGER NOT NULL,
    zbytes      BLOB NOT NULL              -- the verbatim bytes, zstd-compressed
);

CREATE TABLE outlets (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL                   -- builtin | learned | user
);

CREATE TABLE outlet_aliases (
    key       TEXT PRIMARY KEY,            -- normalised name or bare domain
    outlet_id INTEGER NOT NULL REFERENCES outlets(id),
    alias     TEXT NOT NULL,               -- as first seen
    kind      TEXT NOT NULL CHECK (kind IN ('name', 'domain')),
    origin    TEXT NOT NULL
);
CREATE INDEX outlet_aliases_outlet ON outlet_aliases(outlet_id);

CREATE TABLE articles (
    seq         INTEGER PRIMARY KEY,       -- ingest order
    id          TEXT NOT NULL,             -- short, so not unique: raw_hash is the key
    raw_hash    TEXT NOT NULL UNIQUE REFERENCES raw_documents(hash),
    external_id TEXT,
    source_path TEXT NOT NULL,
    format      TEXT NOT NULL,
    outlet_id   INTEGER REFERENCES outlets(id),
    title       TEXT,
    url         TEXT,
    published   TEXT,
    meta        TEXT NOT NULL,             -- JSON: every metadata field with provenance
    paragraphs  TEXT NOT NULL              -- JSON array of strings
);
CREATE INDEX articles_id ON articles(id);
CREATE INDEX articles_outlet ON articles(outlet_id);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_url ON articles(url);

CREATE TABLE failures (
    source_path TEXT PRIMARY KEY,
    error       TEXT NOT NULL
);
"#,
    // 2: cleaning: blocks before cleaning, furniture, learned evidence, user rules.
    r#"
ALTER TABLE articles ADD COLUMN blocks TEXT;   -- JSON: blocks before cleaning, with cues
ALTER TABLE articles ADD COLUMN furniture TEXT NOT NULL DEFAULT '[]'; -- JSON: removed blocks
ALTER TABLE articles ADD COLUMN comments TEXT NOT NULL DEFAULT '[]';  -- JSON: reader comments
ALTER TABLE articles ADD COLUMN long_blocks INTEGER NOT NULL DEFAULT 0; -- for the copy guard

-- How many independent articles of an outlet (0: articles without one) hold a block.
CREATE TABLE block_evidence (
    outlet    INTEGER NOT NULL,
    key       INTEGER NOT NULL,                -- clean::learn::key of the block's text
    articles  INTEGER NOT NULL,
    first_seq INTEGER NOT NULL,                -- the first article seen with it
    sample    TEXT NOT NULL,                   -- the block as first seen
    PRIMARY KEY (outlet, key)
) WITHOUT ROWID;

-- Outlets whose earlier articles wait to be cleaned again with new evidence.
CREATE TABLE reclean (outlet INTEGER PRIMARY KEY);

-- The user's cleaning rules per outlet.
CREATE TABLE outlet_rules (
    outlet_id INTEGER NOT NULL REFERENCES outlets(id),
    rule      TEXT NOT NULL CHECK (rule IN ('keep_kind', 'keep_line', 'drop_line')),
    value     TEXT NOT NULL,
    PRIMARY KEY (outlet_id, rule, value)
);
"#,
    // 3: the copy guard's memory: how many later articles were taken for copies of this one.
    r#"
ALTER TABLE articles ADD COLUMN copies INTEGER NOT NULL DEFAULT 0;
"#,
    // 4: copies between articles: the copy index (one sketch per cleaned body), the figures of
    // every pair measured so far, and each article's place in its copy group.
    r#"
CREATE TABLE copy_sketches (
    seq      INTEGER PRIMARY KEY REFERENCES articles(seq),
    exact    INTEGER NOT NULL,             -- hash of the canonical words in order
    words    INTEGER NOT NULL,             -- canonical words
    shingles INTEGER NOT NULL,
    mins     BLOB NOT NULL                 -- the MinHash bins, 4 bytes each, little-endian
);

-- Figures measured on the shingle sets of two cleaned bodies (article seqs, a < b). A row is
-- dropped when either body changes, so a figure here always belongs to the current bodies.
CREATE TABLE copy_pairs (
    a           INTEGER NOT NULL,
    b           INTEGER NOT NULL,
    jaccard     REAL NOT NULL,
    containment REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX copy_pairs_b ON copy_pairs(b);

-- Articles in a copy group (articles in none have no row).
CREATE TABLE copies (
    seq         INTEGER PRIMARY KEY REFERENCES articles(seq),
    copy_group  TEXT NOT NULL,             -- id of the group's original
    relation    TEXT NOT NULL CHECK (relation IN ('original', 'same_document', 'reprint', 'edited_reprint')),
    copy_of     TEXT,                      -- id of the article it was matched to; null for the original
    jaccard     REAL,
    containment REAL,
    inherited   TEXT                       -- JSON metadata taken from other members, or null
);
CREATE INDEX copies_group ON copies(copy_group);

-- The settings the sketches and the groups were made with.
CREATE TABLE copy_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    // 5: stories: every event and storyline with its summary, and each article's place in them.
    r#"
CREATE TABLE stories (
    id          TEXT PRIMARY KEY,          -- 'ev_' or 'sl_' and the id of its first article
    level       TEXT NOT NULL CHECK (level IN ('event', 'storyline')),
    parent      TEXT,                      -- an event's storyline
    first_seen  TEXT,
    last_seen   TEXT,
    articles    INTEGER NOT NULL,
    summary     TEXT NOT NULL              -- JSON: the whole summary
);
CREATE INDEX stories_level_last ON stories(level, last_seen);

CREATE TABLE story_members (
    seq       INTEGER PRIMARY KEY REFERENCES articles(seq),
    event     TEXT NOT NULL,
    storyline TEXT NOT NULL
);
CREATE INDEX story_members_event ON story_members(event);
CREATE INDEX story_members_storyline ON story_members(storyline);

-- Sentence embeddings of the text the stories stage embeds (title and lead), kept while that
-- text is unchanged: 384 little-endian f32.
CREATE TABLE story_embeddings (
    seq       INTEGER PRIMARY KEY REFERENCES articles(seq),
    text_hash INTEGER NOT NULL,
    vector    BLOB NOT NULL
);

-- The settings the stories were made with, and what they were made from.
CREATE TABLE story_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}
