//! The `newsfold` binary: parse arguments, run, turn the outcome into an exit code.

/// jemalloc instead of the system allocator: searches on the desk allocate and free many
/// short-lived buffers (doc-store blocks, documents, pages) across threads, where glibc's
/// malloc was about a sixth of a search's time. Measured with `newsfold bench serve` at 50
/// clients: glibc about 2,060 searches/s, p99 30 ms; mimalloc 2,400/s but stalls that put
/// p99 at 35 ms and the slowest at over 100 ms; jemalloc 2,310/s, p99 26 ms, slowest 31 ms.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    // Die quietly when the reader of our output goes away (`newsfold export | head`), as
    // command-line tools do, instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default action of a signal before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    newsfold::cli::main()
}
