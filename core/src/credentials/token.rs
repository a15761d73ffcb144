//! A token cache that refreshes before expiry, with one request for any number of waiters.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::cache::Refreshing;
use crate::error::Result;
use crate::secret::Secret;

/// A token and when it stops working.
#[derive(Debug, Clone)]
pub struct CachedToken {
    pub token: Secret,
    pub expires_at: SystemTime,
    pub issued_at: SystemTime,
}

impl CachedToken {
    /// Fresh enough to use: more than `margin` (at most half its lifetime) before expiry.
    pub(crate) fn is_fresh(&self, now: SystemTime, margin: Duration) -> bool {
        let lifetime = self
            .expires_at
            .duration_since(self.issued_at)
            .unwrap_or_default();
        let margin = margin.min(lifetime / 2);
        match self.expires_at.checked_sub(margin) {
            Some(refresh_at) => now < refresh_at,
            None => false,
        }
    }
}

/// Caches one token. Readers take a shared lock; a refresh holds an async mutex so concurrent
/// callers wait for the one request in flight instead of sending their own. Fork-aware: a child
/// never waits on a refresh its parent had in flight.
#[derive(Debug, Default)]
pub struct TokenCache {
    inner: Refreshing<CachedToken>,
}

impl TokenCache {
    pub fn new() -> TokenCache {
        TokenCache::default()
    }

    /// The cached token, or a new one from `fetch` when it is missing or about to expire.
    pub async fn get<F, Fut>(&self, margin: Duration, fetch: F) -> Result<Arc<CachedToken>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<CachedToken>>,
    {
        self.inner
            .get(|t| t.is_fresh(SystemTime::now(), margin), fetch)
            .await
    }

    /// Forgets `rejected` (the service said it expired), unless a newer one already replaced it:
    /// a hundred callers failing with the same token cause one refresh, not a hundred.
    pub fn invalidate(&self, rejected: &CachedToken) {
        self.inner.invalidate(|t| t.token == rejected.token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn token(name: &str, life: Duration) -> CachedToken {
        let now = SystemTime::now();
        CachedToken {
            token: Secret::new(name),
            issued_at: now,
            expires_at: now + life,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn one_fetch_for_a_hundred_waiters() {
        let cache = Arc::new(TokenCache::new());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..100 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(Duration::from_secs(60), || async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(token("t1", Duration::from_secs(3600)))
                    })
                    .await
                    .unwrap()
                    .token
                    .expose()
                    .to_owned()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), "t1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn refreshes_before_expiry_and_after_invalidation() {
        let cache = TokenCache::new();
        // Lifetime 10 s, margin capped at 5 s: still fresh.
        let t = cache
            .get(Duration::from_secs(3600), || async {
                Ok(token("a", Duration::from_secs(10)))
            })
            .await
            .unwrap();
        let again = cache
            .get(Duration::from_secs(3600), || async {
                Ok(token("b", Duration::from_secs(10)))
            })
            .await
            .unwrap();
        assert_eq!(again.token.expose(), "a");
        cache.invalidate(&t);
        let after = cache
            .get(Duration::from_secs(60), || async {
                Ok(token("c", Duration::from_secs(10)))
            })
            .await
            .unwrap();
        assert_eq!(after.token.expose(), "c");
        // Invalidating the old token again does not drop the new one.
        cache.invalidate(&t);
        let still = cache
            .get(Duration::from_secs(60), || async {
                Ok(token("d", Duration::from_secs(10)))
            })
            .await
            .unwrap();
        assert_eq!(still.token.expose(), "c");
        // An expired token is replaced.
        let old = CachedToken {
            token: Secret::new("old"),
            issued_at: SystemTime::now() - Duration::from_secs(20),
            expires_at: SystemTime::now() - Duration::from_secs(1),
        };
        assert!(!old.is_fresh(SystemTime::now(), Duration::ZERO));
    }
}
