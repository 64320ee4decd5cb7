//! The allocator and panic handler of the release module, built without the standard library.
#![allow(unsafe_code)]

use lol_alloc::{AssumeSingleThreaded, FreeListAllocator};

#[cfg(target_feature = "atomics")]
compile_error!("the release allocator serves a single thread: build without the atomics feature");

// SAFETY: `AssumeSingleThreaded` is sound where only one thread ever allocates: wasm32 without the
// `atomics` feature (checked above) has exactly one.
#[global_allocator]
static ALLOCATOR: AssumeSingleThreaded<FreeListAllocator> =
    unsafe { AssumeSingleThreaded::new(FreeListAllocator::new()) };

/// A panic traps at once, without formatting a message: nothing in a browser would show it, and the
/// formatting code would be most of the module. The crate is written so that it never panics.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
