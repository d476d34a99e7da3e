/// The recursion rule every engine implements identically (docs/IR.md §7).
///
/// At most `limit` function activations are live at once; the entry function is
/// the first. A `call` that would make one more traps `recursion_limit` at that
/// call instruction, in the calling function, after the output written so far.
/// The limit is part of a program's meaning, like the width of its integers:
/// engines count activations, they do not guess from the size of a native stack.
public enum CallDepth {
    /// Live activations allowed at once, the entry function included.
    public static let limit = 100_000
}
