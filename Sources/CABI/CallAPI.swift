import JitIR
import NativeCode

/// `jitctl_call`: see the header. The hot path of every embedding; `DirectCall.call` is all of it.
@_cdecl("jitctl_call")
public func jitctl_call(_ function: OpaquePointer?, _ arguments: UnsafePointer<Int64>?, _ count: Int,
                        _ maxDepth: Int64, _ result: UnsafeMutablePointer<Int64>?) -> Int32 {
    guard let function, let result else { return CStatus.argument }
    return DirectCall.call(UnsafeRawPointer(function), arguments, count, maxDepth: maxDepth, result: result)
}
