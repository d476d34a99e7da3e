import JitIR
import NativeCode

extension LLVMCompiledProgram: DirectlyCallable {
    /// The direct entry of function `name` (see `NativeEntry`), or nil when the module has no
    /// such function or it does not return an int64 (only those are embeddable). A module with
    /// guard regions has none: a fault there needs `run`'s replay to be reported; nor has one with
    /// lazily compiled pieces, whose compiles and their errors belong to `run`.
    public func nativeEntry(_ name: String) -> NativeEntry? {
        guard lazy == nil, let entry = entries[name], entry.resultType == .i64, context.guardBytes == 0,
              entry.parameterTypes.allSatisfy({ $0 == .i64 }),
              let code = UnsafeRawPointer(bitPattern: UInt(entry.address)) else { return nil }
        return NativeEntry(code: code, context: context, arity: entry.parameterTypes.count,
                           argumentsByPointer: entry.parameterTypes.count > NativeContext.maxArguments, sites: sites.sites,
                           uncheckedFrameBytes: 0)  // the code checks the stack before every call that may recurse
    }
}
