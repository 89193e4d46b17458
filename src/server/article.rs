//! One article as the desk shows it: metadata with provenance, the body with the removed
//! furniture back in its place (marked, typed, with the reason), its copies and the diff
//! against one of them, its story, and what extract reads in it (quotes, dates, entities,
//! with character offsets into the body). The page and `/api/articles/{id}` both render this.

use crate::clean::Furniture;
use crate::dedup::diff::{diff, Diff, Side};
use crate::error::Result;
use crate::extract::dates::DateMention;
use crate::extract::entities::{find_entities, AliasTable, Entity};
use crate::extract::Quote;
use crate::model::{Metadata, StoryMember};
use crate::store::{Store, StoredArticle};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub outlet: Option<String>,
    pub format: String,
    pub source_path: String,
    /// Every value with its source, confidence and the text it was read from.
    pub meta: Metadata,
    /// The body in reading order: kept paragraphs and removed furniture where it stood.
    pub blocks: Vec<Block>,
    pub comments: Vec<String>,
    pub copy: Option<CopyView>,
    pub story: Option<StoryMember>,
    /// Character offset of each kept paragraph in the body (`paragraphs` joined by a blank
    /// line), which the offsets below count.
    pub paragraph_starts: Vec<usize>,
    pub quotes: Vec<Quote>,
    pub dates: Vec<DateMention>,
    pub entities: Vec<Entity>,
}

/// One block of the body, tagged `"block": "paragraph"` or `"furniture"` (a furniture block
/// keeps its own `kind`: donation, share, ...).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "block", rename_all = "snake_case")]
pub enum Block {
    /// A kept paragraph; `index` counts kept paragraphs from 0.
    Paragraph {
        index: usize,
        text: String,
    },
    Furniture(Furniture),
}

/// The article's copy group and the diff against one other member.
#[derive(Debug, Clone, Serialize)]
pub struct CopyView {
    pub group: String,
    pub relation: String,
    pub copy_of: Option<String>,
    pub members: Vec<CopyMemberLine>,
    /// The member compared with: the original for a copy, else the first other member.
    pub compared_with: Option<String>,
    /// This article is the new side, the one compared with the old.
    pub diff: Option<Diff>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CopyMemberLine {
    pub id: String,
    pub relation: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
}

/// The body's blocks in the order they stood before cleaning.
fn blocks(paragraphs: &[String], furniture: &[Furniture]) -> Vec<Block> {
    let total = paragraphs.len() + furniture.len();
    let mut out = Vec::with_capacity(total);
    let (mut p, mut f) = (0, 0);
    for position in 0..total {
        if f < furniture.len() && furniture[f].position <= position {
            out.push(Block::Furniture(furniture[f].clone()));
            f += 1;
        } else if p < paragraphs.len() {
            out.push(Block::Paragraph {
                index: p,
                text: paragraphs[p].clone(),
            });
            p += 1;
        } else {
            out.push(Block::Furniture(furniture[f].clone()));
            f += 1;
        }
    }
    out
}

impl ArticleView {
    /// Assemble the view of `a`; `compare` picks the copy to diff against.
    pub fn build(
        store: &Store,
        a: StoredArticle,
        aliases: &AliasTable,
        compare: Option<&str>,
    ) -> Result<ArticleView> {
        let text = a.article.text();
        let published = a.article.meta.published.as_ref().map(|p| p.value.date);
        let mut starts = Vec::with_capacity(a.article.paragraphs.len());
        let mut at = 0;
        for p in &a.article.paragraphs {
            starts.push(at);
            at += p.chars().count() + 2;
        }
        let copy = match &a.copy {
            None => None,
            Some(c) => {
                let mut members = Vec::new();
                for (id, relation) in store.copy_members(&c.group)? {
                    let m = store.article(&id)?;
                    members.push(CopyMemberLine {
                        id,
                        relation: relation.as_str().to_string(),
                        outlet: m.as_ref().and_then(|m| m.outlet.clone()),
                        title: m.and_then(|m| m.article.meta.title.map(|t| t.value)),
                    });
                }
                let other = compare
                    .filter(|id| *id != a.article.id && members.iter().any(|m| m.id == *id))
                    .map(str::to_string)
                    .or_else(|| c.copy_of.clone())
                    .or_else(|| {
                        members
                            .iter()
                            .find(|m| m.id != a.article.id)
                            .map(|m| m.id.clone())
                    });
                let diff = match &other {
                    Some(id) => store.article(id)?.map(|old| {
                        diff(
                            Side {
                                title: old.article.meta.title.as_ref().map(|t| t.value.as_str()),
                                paragraphs: &old.article.paragraphs,
                            },
                            Side {
                                title: a.article.meta.title.as_ref().map(|t| t.value.as_str()),
                                paragraphs: &a.article.paragraphs,
                            },
                        )
                    }),
                    None => None,
                };
                Some(CopyView {
                    group: c.group.clone(),
                    relation: c.relation.as_str().to_string(),
                    copy_of: c.copy_of.clone(),
                    members,
                    compared_with: other,
                    diff,
                })
            }
        };
        Ok(ArticleView {
            blocks: blocks(&a.article.paragraphs, &a.article.furniture),
            quotes: crate::extract::quotes::find_quotes(&text),
            dates: crate::extract::dates::find_dates(&text, published),
            entities: find_entities(&text, aliases),
            paragraph_starts: starts,
            id: a.article.id,
            outlet: a.outlet,
            format: a.article.format.as_str().to_string(),
            source_path: a.article.source_path,
            meta: a.article.meta,
            comments: a.article.comments,
            copy,
            story: a.story,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{Decider, FurnitureKind};

    fn furniture(position: usize) -> Furniture {
        Furniture {
            text: format!("removed at {position}"),
            kind: FurnitureKind::Share,
            reason: "test".into(),
            position,
            by: Decider::Cue,
        }
    }

    fn order(b: &[Block]) -> Vec<String> {
        b.iter()
            .map(|b| match b {
                Block::Paragraph { index, .. } => format!("p{index}"),
                Block::Furniture(f) => format!("f{}", f.position),
            })
            .collect()
    }

    #[test]
    fn furniture_goes_back_where_it_stood() {
        let paras = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let b = blocks(&paras, &[furniture(0), furniture(2), furniture(5)]);
        assert_eq!(order(&b), ["f0", "p0", "f2", "p1", "p2", "f5"]);
    }

    #[test]
    fn furniture_beyond_the_end_is_kept() {
        let paras = vec!["a".to_string()];
        let b = blocks(&paras, &[furniture(7), furniture(9)]);
        assert_eq!(order(&b), ["p0", "f7", "f9"]);
    }
}
