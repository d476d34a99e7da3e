#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A suspended caller: where to continue, its register window, and which of
/// its registers receives the callee's result (-1 for none).
struct SuspendedCall {
    var returnPC: Int32
    var destination: Int32
    var base: Int
}

/// The interpreter's own stacks, on the heap rather than the native stack so
/// that deep recursion is limited by `Interpreter.maxCallDepth`, not by a
/// crash: one array of register windows (each call takes the caller's window
/// size further on) and one array of suspended frames. Both grow by doubling.
struct InterpreterStack {
    private(set) var registers: UnsafeMutablePointer<Int64>
    private(set) var registerCapacity: Int
    private(set) var frames: UnsafeMutablePointer<SuspendedCall>
    private(set) var frameCapacity: Int

    /// Nil when the memory is not available.
    init?(initialRegisters: Int) {
        registerCapacity = max(1024, initialRegisters)
        frameCapacity = 256
        guard let r = Self.allocate(Int64.self, registerCapacity) else { return nil }
        guard let f = Self.allocate(SuspendedCall.self, frameCapacity) else { free(r); return nil }
        registers = r
        frames = f
    }

    /// Makes room for at least `count` registers; false when the memory is not available.
    /// Growing moves the registers: re-derive pointers into them afterwards.
    mutating func reserveRegisters(_ count: Int) -> Bool {
        Self.grow(&registers, &registerCapacity, toHold: count)
    }

    /// Makes room for at least `count` frames; false when the memory is not available.
    mutating func reserveFrames(_ count: Int) -> Bool {
        Self.grow(&frames, &frameCapacity, toHold: count)
    }

    /// Doubles `capacity` until it holds `count`, moving `buffer`; false when out of memory.
    private static func grow<T>(_ buffer: inout UnsafeMutablePointer<T>, _ capacity: inout Int, toHold count: Int) -> Bool {
        guard count > capacity else { return true }
        var newCapacity = capacity
        while newCapacity < count { newCapacity *= 2 }
        guard let moved = reallocate(buffer, newCapacity) else { return false }
        buffer = moved
        capacity = newCapacity
        return true
    }

    func deallocate() {
        free(registers)
        free(frames)
    }

    private static func allocate<T>(_: T.Type, _ count: Int) -> UnsafeMutablePointer<T>? {
        malloc(count * MemoryLayout<T>.stride)?.bindMemory(to: T.self, capacity: count)
    }

    private static func reallocate<T>(_ p: UnsafeMutablePointer<T>, _ count: Int) -> UnsafeMutablePointer<T>? {
        realloc(p, count * MemoryLayout<T>.stride)?.bindMemory(to: T.self, capacity: count)
    }
}
