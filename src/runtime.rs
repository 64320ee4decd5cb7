//! The allocator and panic handler of the release module, built without the standard library.

/// The allocator the standard library would use on this target, minus everything around it.
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// A panic traps at once, without formatting a message: nothing in a browser would show it, and the
/// formatting code would be most of the module. The crate is written so that it never panics.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
