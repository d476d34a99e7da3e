// Anchor so SwiftPM builds this C target; the module only re-exports LLVM-C headers.
