//! Stories: articles about one event, joined over time (being built; see ARCHITECTURE.md).

pub mod embed;
