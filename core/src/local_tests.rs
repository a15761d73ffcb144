//! The driver on a test thread (each test has its own: the driver is per thread).

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;

use super::*;

/// Starts this thread's driver; the counter counts the hook's calls.
fn started() -> (i32, Arc<AtomicUsize>) {
    let hooked = Arc::new(AtomicUsize::new(0));
    let h = hooked.clone();
    let fd = start(Arc::new(move || {
        h.fetch_add(1, Ordering::SeqCst);
    }))
    .expect("a driver on Linux");
    (fd, hooked)
}

/// Whether `fd` becomes readable within `ms`.
fn readable(fd: i32, ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    #[allow(unsafe_code)]
    let n = unsafe { libc::poll(&mut p, 1, ms) };
    n == 1 && p.revents & libc::POLLIN != 0
}

#[test]
fn a_timer_fires_during_a_turn() {
    started();
    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    spawn(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        d.store(true, Ordering::SeqCst);
    })
    .unwrap();
    assert_eq!(turn(), 1);
    let t0 = Instant::now();
    while turn() > 0 {
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "the timer never fired"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(done.load(Ordering::SeqCst));
    assert!(t0.elapsed() >= Duration::from_millis(15));
    stop();
}

#[test]
fn an_answer_makes_the_descriptor_readable_and_a_turn_reads_it() {
    let (fd, _) = started();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let got = Arc::new(AtomicUsize::new(0));
    let g = got.clone();
    spawn(async move {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut buf = [0u8; 1];
        s.read_exact(&mut buf).await.unwrap();
        g.store(usize::from(buf[0]), Ordering::SeqCst);
    })
    .unwrap();
    // Turns until the connection is made and the read waits on it (the kernel completes the
    // handshake before the accept).
    let t0 = Instant::now();
    while readable(fd, 0) || t0.elapsed() < Duration::from_millis(20) {
        turn();
        std::thread::sleep(Duration::from_millis(1));
    }
    let (mut peer, _) = listener.accept().unwrap();
    assert_eq!(turn(), 1);
    assert!(!readable(fd, 0), "nothing to read yet");
    peer.write_all(&[42]).unwrap();
    assert!(readable(fd, 2000), "the answer must wake the host loop");
    assert_eq!(turn(), 0);
    assert_eq!(got.load(Ordering::SeqCst), 42);
    stop();
}

#[test]
fn a_wake_from_another_thread_asks_for_a_turn() {
    let (_, hooked) = started();
    let (tx, rx) = tokio::sync::oneshot::channel::<u8>();
    let got = Arc::new(AtomicUsize::new(0));
    let g = got.clone();
    spawn(async move {
        g.store(usize::from(rx.await.unwrap()), Ordering::SeqCst);
    })
    .unwrap();
    assert_eq!(turn(), 1);
    let before = hooked.load(Ordering::SeqCst);
    std::thread::spawn(move || tx.send(7).unwrap())
        .join()
        .unwrap();
    assert_eq!(hooked.load(Ordering::SeqCst), before + 1);
    assert_eq!(turn(), 0);
    assert_eq!(got.load(Ordering::SeqCst), 7);
    stop();
}

#[test]
fn an_abort_drops_the_call_at_the_next_turn() {
    let (_, hooked) = started();
    struct Dropped(Arc<AtomicBool>);
    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
    let dropped = Arc::new(AtomicBool::new(false));
    let guard = Dropped(dropped.clone());
    let abort = spawn(async move {
        let _guard = guard;
        std::future::pending::<()>().await;
    })
    .unwrap();
    assert_eq!(turn(), 1);
    assert_eq!(in_flight(), 1);
    abort.abort();
    assert!(hooked.load(Ordering::SeqCst) >= 1);
    assert!(!dropped.load(Ordering::SeqCst));
    assert_eq!(turn(), 0);
    assert!(dropped.load(Ordering::SeqCst));
    // Its place is reused.
    spawn(async {}).unwrap();
    assert_eq!(turn(), 0);
    stop();
    assert!(!super::started());
}
