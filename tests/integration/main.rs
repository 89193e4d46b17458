//! newsfold's one integration-test binary: the seeds, the sample corpus, every input format,
//! bad input, the CLI, search, extraction on the seeds, a crash in the middle of an ingest, and
//! property tests of the parsers.

mod bad_input;
mod clean;
mod cli;
mod copies;
mod crash;
mod dedup;
mod embed;
mod extract;
mod props;
mod quotes;
mod samples;
mod search;
mod seeds;
mod stories;
mod support;
