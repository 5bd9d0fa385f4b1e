//! Kept search rankings. A search in relevance order ranks the newest
//! thousand matches (`SEARCH_CANDIDATES` in `listing.rs`), and ranking
//! reads every candidate's word statistics: for a common word on the large
//! set that was most of the search page, whichever page was asked for. The ranked ids are kept per
//! query under the value of [`counters::SEARCH_EDITS`], which every
//! transaction that changes a question's search document moves
//! (`search::reindex_question`): a ranking is used only while the texts it
//! ranked are unchanged, in every process at once, at the cost of reading
//! that one row. The rows shown (titles, scores, authors, tags) are always
//! read fresh.
use std::sync::Arc;

use quick_cache::{sync::Cache, Weighter};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::{counters, search::SearchQuery};

/// What one ranked search found: its matches' ids, best first.
#[derive(Debug)]
pub struct Ranking {
    pub ids: Vec<i64>,
    /// More questions match than were ranked.
    pub capped: bool,
}

/// What a ranking depends on besides the texts: the words and the filters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    edits: i64,
    words: String,
    tag: Option<String>,
    user_id: Option<i64>,
}

#[derive(Clone)]
struct Bytewise;

impl Weighter<Key, Arc<Ranking>> for Bytewise {
    fn weight(&self, key: &Key, ranking: &Arc<Ranking>) -> u64 {
        let key = key.words.len() + key.tag.as_ref().map_or(0, String::len);
        (key + ranking.ids.len() * size_of::<i64>() + 96) as u64
    }
}

/// The kept rankings of one database (stored in the app's shared store, so
/// each app, and each test's database, has its own).
#[derive(Clone)]
pub struct KeptRankings(Arc<Cache<Key, Arc<Ranking>, Bytewise>>);

impl KeptRankings {
    /// Room for `bytes` of ids (a full ranking is 8 KB; most hold fewer).
    #[must_use]
    pub fn new(bytes: u64) -> Self {
        let rankings = (bytes / 4096).max(1) as usize;
        Self(Arc::new(Cache::with_weighter(rankings, bytes, Bytewise)))
    }

    /// The ranking of `query` under `tag` and `user_id`, ranked by `rank`
    /// unless a current one is kept.
    ///
    /// # Errors
    /// On database errors.
    pub async fn get_or_rank<F>(
        &self,
        db: &impl ConnectionTrait,
        query: &SearchQuery,
        tag: Option<&str>,
        user_id: Option<i64>,
        rank: F,
    ) -> Result<Arc<Ranking>, DbErr>
    where
        F: AsyncFnOnce() -> Result<Ranking, DbErr>,
    {
        let key = Key {
            edits: counters::value(db, counters::SEARCH_EDITS).await?,
            words: query.text.clone(),
            tag: tag.map(str::to_string),
            user_id,
        };
        if let Some(ranking) = self.0.get(&key) {
            return Ok(ranking);
        }
        let ranking = Arc::new(rank().await?);
        self.0.insert(key, Arc::clone(&ranking));
        Ok(ranking)
    }
}

/// One id of a ranking.
#[derive(Debug, FromQueryResult)]
pub(super) struct RankedId {
    pub id: i64,
}
