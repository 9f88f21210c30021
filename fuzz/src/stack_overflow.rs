//! Stack overflows as crashes libFuzzer can save. An overflow ends in SIGSEGV, and
//! libFuzzer's handler for it runs on the exhausted stack, so the process dies before the
//! input is written out (in fork mode the crash is only counted). Here SIGSEGV is handled
//! on a stack of its own and turned into an abort, which libFuzzer's SIGABRT handler
//! reports like any crash, with the input saved under `artifacts/`.

use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Once;

/// The alternate stack, held where LeakSanitizer looks for live pointers: leaked but
/// reachable, so the end of a run is not reported as a leak.
static ALTERNATE_STACK: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());

/// Installs the handler (once per process); every target calls it first.
pub fn report_as_crash() {
    static INSTALL: Once = Once::new();
    // SAFETY: runs once, before the target's code; the alternate stack is leaked, so it
    // outlives the process's use of it.
    INSTALL.call_once(|| unsafe { install() });
}

const ALTERNATE_STACK_BYTES: usize = 256 * 1024;

unsafe fn install() {
    let stack: &'static mut [u8] = Box::leak(vec![0u8; ALTERNATE_STACK_BYTES].into_boxed_slice());
    ALTERNATE_STACK.store(stack.as_mut_ptr(), Ordering::Relaxed);
    let alternate = libc::stack_t {
        ss_sp: stack.as_mut_ptr().cast(),
        ss_flags: 0,
        ss_size: ALTERNATE_STACK_BYTES,
    };
    if libc::sigaltstack(&alternate, std::ptr::null_mut()) != 0 {
        return;
    }
    let mut action: libc::sigaction = std::mem::zeroed();
    let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = on_fault;
    action.sa_sigaction = handler as usize;
    action.sa_flags = libc::SA_ONSTACK | libc::SA_SIGINFO;
    for signal in [libc::SIGSEGV, libc::SIGBUS] {
        libc::sigaction(signal, &action, std::ptr::null_mut());
    }
}

extern "C" fn on_fault(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
    const NOTE: &[u8] =
        b"==fuzz== SIGSEGV or SIGBUS, most likely a stack overflow: aborting so that libFuzzer saves the input\n";
    // SAFETY: `write` and `abort` are async-signal-safe.
    unsafe {
        libc::write(2, NOTE.as_ptr().cast(), NOTE.len());
        libc::abort();
    }
}
