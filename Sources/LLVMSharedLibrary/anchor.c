// Anchor so SwiftPM builds this C target. It only carries the link to the shared libLLVM, for
// the library product and the tests; the jitctl-llvm executable links LLVM statically instead.
