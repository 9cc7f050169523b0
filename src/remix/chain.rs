//! Remix chains: each remix is a node `{id, parents, author, createdAt, message, timeline}` whose
//! id is the SHA-256 of its canonical content (sorted keys, numbers exactly as written), so any
//! change to a node, or to any node it descends from, shows. A chain is a DAG (a merge has two
//! parents) kept in one JSON file, parents before children.

use super::error::RemixError;
use super::json::{self, Json, Obj};
use super::model::{Clip, Timeline};
use super::otio::{read_timeline, timeline_to_json, ExportOptions};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: String,
    pub parents: Vec<String>,
    pub author: String,
    /// When the remix was made, as the caller wrote it (ISO 8601 by convention).
    pub created_at: String,
    pub message: String,
    pub timeline: Timeline,
}

/// The canonical content of a node, which its id hashes: everything but the id.
fn content(
    parents: &[String],
    author: &str,
    created_at: &str,
    message: &str,
    timeline: &Json,
) -> Json {
    Json::Obj(Obj(vec![
        ("author".into(), Json::str(author)),
        ("createdAt".into(), Json::str(created_at)),
        ("message".into(), Json::str(message)),
        ("parents".into(), Json::Arr(parents.iter().map(|p| Json::str(p.as_str())).collect())),
        ("timeline".into(), timeline.clone()),
    ]))
}

fn hash(content: &Json) -> String {
    let digest = Sha256::digest(json::to_canonical(content).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn timeline_json(t: &Timeline) -> Result<Json, RemixError> {
    timeline_to_json(t, &ExportOptions::default())
}

impl Node {
    /// The node as it stands in a chain file: `{"id", "parents", "author", "createdAt", "message", "timeline"}`.
    pub fn to_json(&self) -> Result<Json, RemixError> {
        let mut node = content(
            &self.parents,
            &self.author,
            &self.created_at,
            &self.message,
            &timeline_json(&self.timeline)?,
        );
        if let Json::Obj(o) = &mut node {
            o.0.insert(0, ("id".into(), Json::str(self.id.as_str())));
        }
        Ok(node)
    }

    /// The id this node's content hashes to.
    pub fn computed_id(&self) -> Result<String, RemixError> {
        let tj = timeline_json(&self.timeline)?;
        Ok(hash(&content(&self.parents, &self.author, &self.created_at, &self.message, &tj)))
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chain {
    /// Parents always come before their children.
    pub nodes: Vec<Node>,
    index: HashMap<String, usize>,
}

fn chain_err(node: &str, reason: impl Into<String>) -> RemixError {
    RemixError::Chain { node: node.to_string(), reason: reason.into() }
}

impl Chain {
    pub fn new() -> Chain {
        Chain::default()
    }

    pub fn get(&self, id: &str) -> Option<&Node> {
        self.index.get(id).and_then(|&i| self.nodes.get(i))
    }

    /// Adds a remix of `parents` (none for the first version, two for a merge); returns its id.
    pub fn add(
        &mut self,
        parents: &[&str],
        author: &str,
        created_at: &str,
        message: &str,
        timeline: Timeline,
    ) -> Result<String, RemixError> {
        for p in parents {
            if self.get(p).is_none() {
                return Err(chain_err(p, "parent is not in the chain"));
            }
        }
        let parents: Vec<String> = parents.iter().map(|p| p.to_string()).collect();
        let tj = timeline_json(&timeline)?;
        let id = hash(&content(&parents, author, created_at, message, &tj));
        if self.index.contains_key(&id) {
            return Ok(id);
        }
        self.index.insert(id.clone(), self.nodes.len());
        self.nodes.push(Node {
            id: id.clone(),
            parents,
            author: author.into(),
            created_at: created_at.into(),
            message: message.into(),
            timeline,
        });
        Ok(id)
    }

    /// Checks every node: its id is the hash of its content, its parents come before it. The
    /// error names the first node that fails.
    pub fn verify(&self) -> Result<(), RemixError> {
        let mut seen = HashMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            let id = n.computed_id()?;
            if id != n.id {
                return Err(chain_err(&n.id, format!("content was altered (it hashes to {id})")));
            }
            for p in &n.parents {
                if !seen.contains_key(p.as_str()) {
                    return Err(chain_err(&n.id, format!("parent {p} is missing or comes later")));
                }
            }
            seen.insert(n.id.as_str(), i);
        }
        Ok(())
    }

    /// The first-parent path from the root to `id`, root first.
    pub fn lineage(&self, id: &str) -> Result<Vec<&Node>, RemixError> {
        let mut out = vec![];
        let mut cur = self.get(id).ok_or_else(|| chain_err(id, "not in the chain"))?;
        loop {
            out.push(cur);
            if out.len() > self.nodes.len() {
                return Err(chain_err(id, "parents form a cycle"));
            }
            match cur.parents.first() {
                Some(p) => {
                    cur = self
                        .get(p)
                        .ok_or_else(|| chain_err(&cur.id, format!("parent {p} is missing")))?
                }
                None => break,
            }
        }
        out.reverse();
        Ok(out)
    }

    /// `{"outtakeChain": 1, "nodes": [{"id", "parents", "author", "createdAt", "message", "timeline"}]}`
    pub fn to_json(&self) -> Result<String, RemixError> {
        let nodes = self.nodes.iter().map(Node::to_json).collect::<Result<Vec<_>, _>>()?;
        let doc = Json::Obj(Obj(vec![
            ("outtakeChain".into(), Json::Num(json::Num::new("1"))),
            ("nodes".into(), Json::Arr(nodes)),
        ]));
        Ok(json::to_pretty(&doc))
    }

    /// Reads a chain file and verifies it.
    pub fn from_json(text: &str) -> Result<Chain, RemixError> {
        let chain = Chain::read(text)?;
        chain.verify()?;
        Ok(chain)
    }

    /// Reads a chain file without checking its hashes: for a chain verified when it was loaded
    /// (the JS `RemixChain` keeps its own), where hashing every timeline again would cost more
    /// than the operation itself.
    pub fn read(text: &str) -> Result<Chain, RemixError> {
        let doc = json::parse(text)?;
        let nodes = doc
            .get("nodes")
            .and_then(Json::as_arr)
            .ok_or_else(|| RemixError::ChainFormat("missing \"nodes\" array".into()))?;
        let mut chain = Chain::new();
        for (i, n) in nodes.iter().enumerate() {
            let s = |k: &str| -> Result<String, RemixError> {
                n.get(k).and_then(Json::as_str).map(String::from).ok_or_else(|| {
                    RemixError::ChainFormat(format!("nodes[{i}].{k}: expected a string"))
                })
            };
            let parents = n
                .get("parents")
                .and_then(Json::as_arr)
                .ok_or_else(|| {
                    RemixError::ChainFormat(format!("nodes[{i}].parents: expected an array"))
                })?
                .iter()
                .map(|p| {
                    p.as_str().map(String::from).ok_or_else(|| {
                        RemixError::ChainFormat(format!("nodes[{i}].parents: expected strings"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let tl = n
                .get("timeline")
                .ok_or_else(|| RemixError::ChainFormat(format!("nodes[{i}].timeline: missing")))?;
            let timeline = read_timeline(tl)
                .map_err(|e| RemixError::ChainFormat(format!("nodes[{i}].timeline: {e}")))?;
            let id = s("id")?;
            if chain.index.contains_key(&id) {
                return Err(chain_err(&id, "appears twice"));
            }
            chain.index.insert(id.clone(), chain.nodes.len());
            chain.nodes.push(Node {
                id,
                parents,
                author: s("author")?,
                created_at: s("createdAt")?,
                message: s("message")?,
                timeline,
            });
        }
        Ok(chain)
    }
}

/// Marks a clip as a cameo: footage taken from another chain (`metadata.outtake.cameo`).
pub fn mark_cameo(clip: &mut Clip, chain_root: &str, node: &str) {
    let cameo = Json::Obj(Obj(vec![
        ("chain".into(), Json::str(chain_root)),
        ("node".into(), Json::str(node)),
    ]));
    clip.base.set_meta("outtake", "cameo", cameo);
}

/// The chain (root id) and node a cameo clip came from.
pub fn cameo_of(clip: &Clip) -> Option<(String, String)> {
    let c = clip.base.meta(&["outtake", "cameo"])?;
    Some((c.get("chain")?.as_str()?.to_string(), c.get("node")?.as_str()?.to_string()))
}
