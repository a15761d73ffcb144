//! Load through the core: 20,000 reads with 256 in flight against the emulator, by IAM password
//! token, the service's clock moved a day on halfway so the token expires under load. No error;
//! the token is fetched once at the start and refreshed exactly once (single flight); once the
//! client is dropped, open descriptors and threads are back to where they were, and RSS has not
//! grown past a bound; a second round, on a fresh client, adds next to nothing to it (what the
//! first leaves is the allocator's arenas and the emulator's state, not the calls). Prints
//! throughput and p50/p99 of each.

#[allow(dead_code, unused_imports)] // the emulator suite's helpers, of which this uses a few
#[path = "../../emulator/tests/it/common.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use hcpartner::Client;
use serde_json::json;

const READS: usize = 20_000;
const IN_FLIGHT: usize = 256;
/// RSS the allocator may keep after the first load (its arenas, the emulator's state): MiB.
const RSS_SLACK_MIB: f64 = 40.0;
/// What a second, identical load may add on top: a leak of the answers (20,000 of 5 KB) would
/// add about 100 MiB. MiB.
const RSS_LEAK_MIB: f64 = 8.0;

fn count(dir: &str) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// What one round left: reads timed, tokens fetched, descriptors, threads and RSS after it.
struct Round {
    times: Vec<Duration>,
    elapsed: Duration,
    fetched: u64,
    after: (usize, usize, f64),
}

/// 20,000 reads with a fresh client by password token; the service's clock moves a day on at
/// the half, so the token expires under load.
async fn round(emu: &Arc<hcpartner_emulator::Emulator>, n: i64) -> Round {
    let c = emu.credentials();
    let pw = hcpartner::credentials::Password::new(
        c.user_name.clone(),
        c.password.clone(),
        c.domain_name.clone(),
    );
    let client = Client::new(base(emu).credentials(pw).build().unwrap()).unwrap();
    let tokens = || emu.received("keystone_create_user_token_by_password");
    let tokens_before = tokens();
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..IN_FLIGHT {
        let (client, next, emu) = (client.clone(), next.clone(), emu.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= READS {
                    return times;
                }
                if i == READS / 2 {
                    emu.set_clock_offset(n * 25 * 3600); // the token has expired now
                }
                let t = Instant::now();
                let r = client
                    .call("list_sub_customers", json!({"limit": 10}))
                    .await;
                r.unwrap_or_else(|e| panic!("read {i}: {e}"));
                times.push(t.elapsed());
            }
        }));
    }
    let mut times = Vec::with_capacity(READS);
    for t in tasks {
        times.extend(t.await.expect("a load task"));
    }
    let elapsed = started.elapsed();
    times.sort();
    let fetched = tokens() - tokens_before;
    drop(client);
    tokio::time::sleep(Duration::from_millis(500)).await; // closed sockets leave the table
    let after = (count("/proc/self/fd"), count("/proc/self/task"), rss_mib());
    Round {
        times,
        elapsed,
        fetched,
        after,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_reads_256_in_flight_leave_nothing_behind() {
    let emu = Arc::new(start());
    // The runtime's and the emulator's own threads and sockets exist before the baseline.
    partner(&emu)
        .call("list_sub_customers", json!({"limit": 1}))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (fds, threads, rss) = (count("/proc/self/fd"), count("/proc/self/task"), rss_mib());
    let mut warm = rss;
    for n in 1..=2 {
        let r = round(&emu, n).await;
        let pct = |p: f64| r.times[((r.times.len() as f64 * p) as usize).min(r.times.len() - 1)];
        println!(
            "load, round {n}: {READS} reads, {IN_FLIGHT} in flight, {:.1} s, {:.0} reads/s, p50 {:.1} ms, \
             p99 {:.1} ms; tokens fetched {}; descriptors {fds} -> {}, threads {threads} -> {}, RSS {rss:.1} -> {:.1} MiB",
            r.elapsed.as_secs_f64(),
            READS as f64 / r.elapsed.as_secs_f64(),
            pct(0.5).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3,
            r.fetched,
            r.after.0,
            r.after.1,
            r.after.2
        );
        assert_eq!(r.times.len(), READS);
        assert_eq!(
            r.fetched, 2,
            "one token at the start, one refresh when it expired"
        );
        assert!(
            r.after.0 <= fds,
            "descriptors: {fds} before, {} after",
            r.after.0
        );
        assert!(
            r.after.1 <= threads,
            "threads: {threads} before, {} after",
            r.after.1
        );
        let (grew, bound) = match n {
            1 => (r.after.2 - rss, RSS_SLACK_MIB),
            _ => (r.after.2 - warm, RSS_LEAK_MIB),
        };
        assert!(grew <= bound, "round {n}: RSS grew {grew:.1} MiB");
        warm = r.after.2;
    }
}
