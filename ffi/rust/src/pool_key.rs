//! A pool's key as the C API reads it: a NUL-terminated string, so a key ends at its first NUL byte.

use std::os::raw::c_char;

/// Keys shorter than this are copied to the stack; longer ones to the heap.
const STACK_KEY: usize = 256;

/// Runs `call` with `key` NUL-terminated, for the one C call that reads it.
pub(crate) fn with_c_key<R>(key: &str, call: impl FnOnce(*const c_char) -> R) -> R {
    let bytes = key.as_bytes();
    if bytes.len() < STACK_KEY {
        let mut stack = [0u8; STACK_KEY];
        stack[..bytes.len()].copy_from_slice(bytes);
        call(stack.as_ptr().cast())
    } else {
        let mut heap = Vec::with_capacity(bytes.len() + 1);
        heap.extend_from_slice(bytes);
        heap.push(0);
        call(heap.as_ptr().cast())
    }
}
