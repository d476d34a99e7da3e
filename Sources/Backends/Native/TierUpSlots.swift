#if canImport(Glibc)
import Glibc
#endif

/// The memory through which baseline code asks to be replaced while it runs (tier-up).
///
/// Code compiled for tier-up tests one byte per site (a loop head, or a function's entry):
///
///     mov rax, armed(site); cmp byte [rax], 0; jne slow
///
/// A site's byte is 0 while there is nothing to do, so the test costs a predicted branch. When
/// it is set, the slow path loads the site's code slot: a nonzero slot is the address of code
/// that continues the activation from that site (C ABI: the registers live there as int64
/// arguments, the activation's result as the return value), and the slow path calls it and
/// returns what it returns. A zero slot makes the slow path call `hook(slots, site)`, which
/// returns the address to call, or 0 to go on in the baseline code.
///
/// The bytes are written by other threads (a sampling timer arms every site, a finished compile
/// arms its own) while the code reads them; a stale read only delays or repeats a hook call.
public final class TierUpSlots: @unchecked Sendable {
    // @unchecked: the raw memory is shared with generated code, as described above.

    /// C ABI of the hook: `uint64 hook(slots, int64 site)`.
    public typealias Hook = @convention(c) (UnsafeMutableRawPointer?, Int64) -> UInt64

    public let siteCount: Int
    private let armed: UnsafeMutablePointer<UInt8>
    private let code: UnsafeMutablePointer<UInt64>
    /// What the hook asks: given a site, the code address to continue at, or 0.
    private let decide: @Sendable (Int) -> UInt64

    public init(siteCount: Int, decide: @escaping @Sendable (Int) -> UInt64) {
        self.siteCount = siteCount
        self.decide = decide
        armed = .allocate(capacity: max(1, siteCount))
        armed.initialize(repeating: 0, count: max(1, siteCount))
        code = .allocate(capacity: max(1, siteCount))
        code.initialize(repeating: 0, count: max(1, siteCount))
    }

    deinit {
        armed.deallocate()
        code.deallocate()
    }

    /// The address the hook gets as its first argument.
    public var address: UInt64 { UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque())) }
    public func armedAddress(_ site: Int) -> UInt64 { UInt64(UInt(bitPattern: armed + site)) }
    public func codeAddress(_ site: Int) -> UInt64 { UInt64(UInt(bitPattern: code + site)) }

    /// Arms every site without code (a sampling tick): the first one reached calls the hook.
    public func armAll() {
        for s in 0..<siteCount where armed[s] == 0 { armed[s] = 1 }
    }

    /// Disarms every site without code (the tick has been taken).
    public func disarmWaiting() {
        for s in 0..<siteCount where code[s] == 0 { armed[s] = 0 }
    }

    /// Arms one site: its next pass calls the hook (or moves, when it has code).
    public func arm(_ site: Int) {
        armed[site] = 1
    }

    /// Gives `site` code to continue at, and arms it so that the next pass through it moves there.
    public func install(_ address: UInt64, at site: Int) {
        code[site] = address
        armed[site] = 1
    }

    public func installed(_ site: Int) -> UInt64 { code[site] }

    /// The hook's address (C ABI, see `Hook`).
    public static var hookAddress: UInt64 { UInt64(UInt(bitPattern: unsafeBitCast(hook, to: UnsafeRawPointer.self))) }

    private static let hook: Hook = { raw, site in
        guard let raw else { return 0 }
        let slots = Unmanaged<TierUpSlots>.fromOpaque(raw).takeUnretainedValue()
        guard site >= 0 && Int(site) < slots.siteCount else { return 0 }
        return slots.decide(Int(site))
    }
}
