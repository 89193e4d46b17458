//! newsfold's one integration-test binary: the seeds, the sample corpus, every input format,
//! bad input, the CLI, search, the desk over HTTP and in a headless browser, extraction on the
//! seeds, a crash in the middle of an ingest, and
//! property tests of the parsers.

mod bad_input;
mod browser;
mod clean;
mod cli;
mod copies;
mod crash;
mod dedup;
mod desk;
mod embed;
mod extract;
mod props;
mod quotes;
mod samples;
mod search;
mod seeds;
mod stories;
mod support;
