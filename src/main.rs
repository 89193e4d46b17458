//! The `newsfold` binary: parse arguments, run, turn the outcome into an exit code.

/// mimalloc instead of the system allocator: searches on the desk allocate and free many
/// short-lived buffers (decompressed doc-store blocks, documents, pages) from several threads,
/// where glibc's malloc was about a sixth of a search's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
