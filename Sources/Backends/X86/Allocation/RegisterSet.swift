/// A set of x86-64 general-purpose registers, by hardware number (0 = rax ... 15 = r15).
struct RegisterSet: Hashable, Sendable, Sequence {
    var bits: UInt16

    init(bits: UInt16 = 0) { self.bits = bits }
    init(_ numbers: [UInt8]) {
        bits = 0
        for n in numbers { insert(n) }
    }

    static let empty = RegisterSet()

    var isEmpty: Bool { bits == 0 }
    var count: Int { bits.nonzeroBitCount }

    func contains(_ n: UInt8) -> Bool { bits & (1 << UInt16(n)) != 0 }
    mutating func insert(_ n: UInt8) { bits |= 1 << UInt16(n) }
    mutating func remove(_ n: UInt8) { bits &= ~(1 << UInt16(n)) }

    static func & (a: RegisterSet, b: RegisterSet) -> RegisterSet { RegisterSet(bits: a.bits & b.bits) }
    static func | (a: RegisterSet, b: RegisterSet) -> RegisterSet { RegisterSet(bits: a.bits | b.bits) }
    static prefix func ~ (a: RegisterSet) -> RegisterSet { RegisterSet(bits: ~a.bits) }

    /// The first member in `preference` order, if any.
    func first(in preference: [UInt8]) -> UInt8? { preference.first { contains($0) } }

    func makeIterator() -> some IteratorProtocol<UInt8> {
        var rest = bits
        return AnyIterator {
            guard rest != 0 else { return nil }
            let n = UInt8(rest.trailingZeroBitCount)
            rest &= rest - 1
            return n
        }
    }
}

/// The System V x86-64 register roles this backend uses.
enum RegisterRoles {
    static let rax: UInt8 = 0, rcx: UInt8 = 1, rdx: UInt8 = 2, rbx: UInt8 = 3, rsp: UInt8 = 4, rbp: UInt8 = 5
    static let rsi: UInt8 = 6, rdi: UInt8 = 7, r8: UInt8 = 8, r9: UInt8 = 9, r10: UInt8 = 10, r11: UInt8 = 11
    static let r12: UInt8 = 12, r13: UInt8 = 13, r14: UInt8 = 14, r15: UInt8 = 15

    /// Never allocated: rax carries results and dividends, r11 is the second temporary.
    static let scratch = RegisterSet([rax, r11])
    /// Registers a call may destroy (System V), minus the scratch ones.
    static let callerSaved = RegisterSet([rcx, rdx, rsi, rdi, r8, r9, r10])
    /// Registers a callee must preserve (rbp is used as a plain register: frames are rsp-based).
    static let calleeSaved = RegisterSet([rbx, rbp, r12, r13, r14, r15])
    /// The register that holds the module memory's address in functions that access memory.
    static let memoryBase: UInt8 = r15
    /// In modules with calls, the register that holds the call budget (`ContextLayout.callBudget`)
    /// in every function: the entry trampoline loads it, and since each call and `enter` gives back
    /// what it takes, every function returns it unchanged, with no save or restore.
    static let callBudget: UInt8 = r14

    /// Integer argument registers, in order.
    static let arguments: [UInt8] = [rdi, rsi, rdx, rcx, r8, r9]

    /// Preference among caller-saved registers: the ones with fixed duties (rcx for shift
    /// counts, rdx for division) last, so short-lived values rarely collide with them.
    static let callerSavedOrder: [UInt8] = [rsi, rdi, r8, r9, r10, rdx, rcx]
    /// Preference among callee-saved registers.
    static let calleeSavedOrder: [UInt8] = [rbx, r12, r13, r14, rbp, r15]
}
