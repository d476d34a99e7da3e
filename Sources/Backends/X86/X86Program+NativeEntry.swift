import JitIR
import NativeCode

extension X86Program: DirectlyCallable {
    /// The direct entry of function `name` (see `NativeEntry`), or nil when the module has no
    /// such function or it does not return an int64 (only those are embeddable). A module with
    /// guard regions has none: a fault there needs `run`'s fault handling to become a trap.
    public func nativeEntry(_ name: String) -> NativeEntry? {
        guard let function = functions[name], function.resultType == .i64, context.guardBytes == 0,
              function.parameters.allSatisfy({ function.type(of: $0) == .i64 }) else { return nil }
        let offset = adapterOffsets[name] ?? functionOffsets[name]
        guard let offset else { return nil }
        return NativeEntry(code: memory.address(at: offset), context: context, arity: function.parameters.count,
                           argumentsByPointer: adapterOffsets[name] != nil, sites: trapSites,
                           // Slack for the outgoing stack arguments of calls with more than six.
                           uncheckedFrameBytes: largestUncheckedFrame + 64)
    }
}
