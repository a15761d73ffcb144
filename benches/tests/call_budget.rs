//! Budgets of one call, so a later change that doubles the work fails here (counts, not times:
//! the same on a busy machine). A blocking read as the Python and C faces make it: how many
//! heap allocations (every thread), and how many voluntary context switches of the whole process
//! (each is a thread hand-off: a wake-up of another thread, the cost the calling-thread runtime
//! removes).
#![allow(unsafe_code)] // a counting global allocator, and getrusage

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use hcpartner::credentials::AkSk;
use hcpartner::{facade, Client, Config};
use serde_json::json;

struct Counting;
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn voluntary_switches() -> i64 {
    // SAFETY: getrusage fills the struct it is given; a zeroed rusage is a valid value.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u.ru_nvcsw
    }
}

/// Allocations per call at most (measured: 55 on the calling thread's own exchange, core/src/h1.rs;
/// 69 on hyper-util's client, 124 on reqwest's; an answer's text is handed over, not parsed).
const ALLOCATIONS_PER_CALL: f64 = 72.0;
/// Voluntary context switches of the process per call at most (measured: 0.01 to 1.0 on the
/// calling thread's runtime — at most the one sleep while the server answers; 6 when a runtime
/// worker did the I/O and handed the answer over).
const SWITCHES_PER_CALL: f64 = 1.5;

#[test]
fn one_blocking_read_stays_within_its_budget() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_static_server"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the benchmark server starts");
    let mut url = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let config = Config::builder()
        .endpoint(url.trim())
        .credentials(AkSk::new("BUDGETAK", "BUDGETSK").with_domain_id("d"))
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let call = || {
        let a = facade::call_blocking(&client, "list_sub_customers", json!({"limit": 10}));
        std::hint::black_box(a.unwrap().into_json().unwrap());
    };
    for _ in 0..20 {
        call(); // connections, caches, the runtime of this thread
    }
    let calls = 300;
    let (a0, s0) = (ALLOCATIONS.load(Ordering::Relaxed), voluntary_switches());
    for _ in 0..calls {
        call();
    }
    let allocations = (ALLOCATIONS.load(Ordering::Relaxed) - a0) as f64 / calls as f64;
    let switches = (voluntary_switches() - s0) as f64 / calls as f64;
    drop(server.stdin.take());
    let _ = server.wait();
    println!("per call: {allocations:.1} allocations, {switches:.2} voluntary context switches");
    assert!(
        allocations <= ALLOCATIONS_PER_CALL,
        "{allocations:.1} allocations per call"
    );
    assert!(
        switches <= SWITCHES_PER_CALL,
        "{switches:.2} context switches per call"
    );
}
