// The stack limit of the calling thread for calls that run native code on it (the C ABI's
// jitctl_call). pthread_getattr_np reads /proc/self/maps on the main thread, so it runs once
// per thread; the answer is kept in a thread-local.
#define _GNU_SOURCE
#include <pthread.h>
#include "jitctl_stack.h"

// Left free below the limit: the trap path and the stack check's own slack need far less.
static const uintptr_t margin = 256 << 10;
// When the bounds cannot be read: assume this much stack below the first caller's frame.
static const uintptr_t fallback = 1 << 20;

static __thread uintptr_t cached_limit;

uintptr_t jitctl_thread_stack_limit(void) {
    if (cached_limit != 0) return cached_limit;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    uintptr_t limit = here > fallback ? here - fallback : 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *low = 0;
        size_t size = 0;
        if (pthread_attr_getstack(&attr, &low, &size) == 0 && low != 0 && (uintptr_t)low + margin < here)
            limit = (uintptr_t)low + margin;
        pthread_attr_destroy(&attr);
    }
    cached_limit = limit;
    return limit;
}
