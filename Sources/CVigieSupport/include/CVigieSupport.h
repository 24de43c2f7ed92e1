#ifndef CVIGIESUPPORT_H
#define CVIGIESUPPORT_H

/// Helpers Swift has no intrinsic for, used on the rule engine's hot path. Every one is
/// `static inline`: the Clang importer inlines them into the Swift caller (no call).

/// Asks the CPU to bring the cache line holding `p` in, for writing, into every cache
/// level (a hint: never faults, even for an address that is not mapped).
static inline void vigie_prefetch(const void *p) {
    __builtin_prefetch(p, 1, 3);
}

#endif
