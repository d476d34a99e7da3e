#ifndef JITCTL_STACK_H
#define JITCTL_STACK_H
#include <stdint.h>

/// The lowest stack address that native code entered on the calling thread may use: the
/// thread's stack end plus a safety margin, found once per thread and cached in a thread-local.
/// Swift has no cheap thread-locals, and the C ABI's calls must cost nanoseconds.
uintptr_t jitctl_thread_stack_limit(void);

/// The calling function's frame address: where the stack is now, to within a frame.
static inline uintptr_t jitctl_stack_here(void) { return (uintptr_t)__builtin_frame_address(0); }

#endif
