import CJitCtlStack
import JitIR

/// The entry trampoline's C signature (`NativeContext.entryTrampolineAddress`).
private typealias Trampoline = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, UnsafePointer<Int64>) -> Int64

/// `jitctl_call`: see the header. The hot path of every embedding: it reads only the function's
/// `FunctionBlock`, writes the call budget and the stack limit into the context block and enters
/// the code through the trampoline on this thread (no thread of its own, unlike
/// `NativeContext.call`, whose thread costs tens of microseconds per call). Nothing allocates.
@_cdecl("jitctl_call")
public func jitctl_call(_ function: OpaquePointer?, _ arguments: UnsafePointer<Int64>?, _ count: Int,
                        _ maxDepth: Int64, _ result: UnsafeMutablePointer<Int64>?) -> Int32 {
    guard let function, let result else { return CStatus.argument }
    let block = UnsafeRawPointer(function)
    func field(_ offset: Int) -> Int { block.load(fromByteOffset: offset, as: Int.self) }
    let arity = field(FunctionBlock.arity)
    guard count == arity, arity == 0 || arguments != nil else { return CStatus.argument }

    let context = UnsafeMutableRawPointer(bitPattern: field(FunctionBlock.context))!
    var depth = maxDepth <= 0 || maxDepth > Int64(CallDepth.limit) ? CallDepth.limit : Int(maxDepth)
    let stackLimit = jitctl_thread_stack_limit()
    // Code whose small frames skip the stack check relies on the call budget alone: give it no
    // more calls than fit between here and the limit (NativeEntry.uncheckedFrameBytes).
    if case let shift = field(FunctionBlock.frameShift), shift > 0 {
        let here = jitctl_stack_here()
        let fitting = here > stackLimit ? Int((here - stackLimit) >> UInt(shift)) : 0
        depth = max(1, min(depth, fitting))
    }
    context.storeBytes(of: UInt64(depth - 1), toByteOffset: field(FunctionBlock.budgetOffset), as: UInt64.self)
    context.storeBytes(of: UInt64(stackLimit), toByteOffset: field(FunctionBlock.stackLimitOffset), as: UInt64.self)

    // The trampoline loads six argument registers from memory; unused ones are read, never used.
    var registers: (Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0)
    if field(FunctionBlock.argumentsByPointer) != 0 {
        registers.0 = Int64(Int(bitPattern: arguments))
    } else if let arguments {
        withUnsafeMutableBytes(of: &registers) { raw in
            raw.baseAddress!.copyMemory(from: arguments, byteCount: arity * 8)
        }
    }
    let code = UnsafeRawPointer(bitPattern: field(FunctionBlock.code))!
    let enter = unsafeBitCast(UnsafeRawPointer(bitPattern: field(FunctionBlock.trampoline))!, to: Trampoline.self)
    let value = withUnsafeBytes(of: &registers) { raw in
        enter(context, code, raw.baseAddress!.assumingMemoryBound(to: Int64.self))
    }
    guard context.load(fromByteOffset: field(FunctionBlock.trappedOffset), as: UInt64.self) != 0 else {
        result.pointee = value
        return CStatus.ok
    }
    let site = context.load(fromByteOffset: field(FunctionBlock.trapSiteOffset), as: Int64.self)
    result.pointee = site
    guard site >= 0, site < Int64(field(FunctionBlock.siteCount)) else { return CStatus.trap(.unreachable) }
    let codes = UnsafePointer<Int32>(bitPattern: field(FunctionBlock.siteCodes))!
    return codes[Int(site)]
}
