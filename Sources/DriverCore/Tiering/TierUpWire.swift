#if canImport(Glibc)
import Glibc
#endif
import JitIR
import NativeCode

/// The messages between `auto` and its compile server, `jitctl-llvm --tier-up-server`
/// (docs/tiering.md), over a stream socket. A message is its length (8 bytes, little-endian) and
/// then its bytes; integers are 8 bytes little-endian, strings and byte arrays their length and
/// then their bytes.
///
/// - A request is the level, the first trap-site number, the addresses the code is compiled for
///   and the module as IR text (`IRText`: printing and parsing give back the same module).
/// - A reply is 0 and a `RelocatableObject`, or 1 and the message of the error the compile threw.
package enum TierUpWire {
    /// The argument that makes `jitctl-llvm` a compile server on its standard input.
    package static let serverArgument = "--tier-up-server"

    package struct Request: Equatable {
        package var optLevel: Int
        package var firstSite: Int
        package var bindings: RuntimeAddresses
        package var moduleText: String

        package init(optLevel: Int, firstSite: Int, bindings: RuntimeAddresses, moduleText: String) {
            self.optLevel = optLevel
            self.firstSite = firstSite
            self.bindings = bindings
            self.moduleText = moduleText
        }

        /// The request for `module`'s code, to run in `context`.
        package init(_ module: Module, options: BackendOptions, context: NativeContext, firstSite: Int) {
            self.init(optLevel: options.llvmOptLevel, firstSite: firstSite, bindings: RuntimeAddresses(context),
                      moduleText: IRText.print(module))
        }
    }

    /// A compile the server could not do; its message is the server's error.
    package struct ServerError: Error, CustomStringConvertible {
        package var description: String
        package init(description: String) { self.description = description }
    }

    package static func encode(_ r: Request) -> [UInt8] {
        var w = Writer()
        let h = r.bindings.hooks
        for n in [UInt64(r.optLevel), UInt64(r.firstSite), r.bindings.context, r.bindings.memoryBase,
                  h.putByte, h.putBytes, h.getByte, h.trap, h.memchr, h.memrchr] { w.integer(n) }
        w.string(r.moduleText)
        return w.bytes
    }

    package static func decodeRequest(_ bytes: [UInt8]) throws -> Request {
        var r = Reader(bytes)
        let n = try (0..<10).map { _ in try r.integer() }
        let hooks = HookAddresses(putByte: n[4], putBytes: n[5], getByte: n[6], trap: n[7], memchr: n[8], memrchr: n[9])
        return Request(optLevel: Int(truncatingIfNeeded: n[0]), firstSite: Int(truncatingIfNeeded: n[1]),
                       bindings: RuntimeAddresses(context: n[2], memoryBase: n[3], hooks: hooks), moduleText: try r.string())
    }

    package static func encode(_ reply: Result<RelocatableObject, ServerError>) -> [UInt8] {
        var w = Writer()
        switch reply {
        case .failure(let error):
            w.integer(1)
            w.string(error.description)
        case .success(let o):
            w.integer(0)
            w.data(o.bytes)
            w.integer(UInt64(o.firstSite))
            w.integer(UInt64(o.entrySymbols.count))
            for (function, symbol) in o.entrySymbols.sorted(by: { $0.key < $1.key }) {
                w.string(function)
                w.string(symbol)
            }
            w.integer(UInt64(o.externalSymbols.count))
            for (name, address) in o.externalSymbols.sorted(by: { $0.key < $1.key }) {
                w.string(name)
                w.integer(address)
            }
            w.integer(UInt64(o.sites.count))
            for t in o.sites {
                w.string(t.kind.rawValue)
                w.integer(UInt64(UInt32(bitPattern: t.loc.line)))
                w.integer(UInt64(UInt32(bitPattern: t.loc.column)))
                w.string(t.function)
            }
        }
        return w.bytes
    }

    /// The object of a reply; throws the server's error when the compile failed.
    package static func decodeReply(_ bytes: [UInt8]) throws -> RelocatableObject {
        var r = Reader(bytes)
        if try r.integer() != 0 { throw ServerError(description: try r.string()) }
        let object = try r.data()
        let firstSite = Int(truncatingIfNeeded: try r.integer())
        var entries: [String: String] = [:]
        for _ in 0..<(try r.count()) { entries[try r.string()] = try r.string() }
        var externals: [String: UInt64] = [:]
        for _ in 0..<(try r.count()) { externals[try r.string()] = try r.integer() }
        var sites: [Trap] = []
        for _ in 0..<(try r.count()) {
            guard let kind = TrapKind(rawValue: try r.string()) else { throw InternalError("tier-up: an unknown trap kind") }
            let line = Int(Int32(truncatingIfNeeded: try r.integer())), column = Int(Int32(truncatingIfNeeded: try r.integer()))
            sites.append(Trap(kind: kind, loc: SourceLoc(line: line, column: column), function: try r.string()))
        }
        return RelocatableObject(bytes: object, entrySymbols: entries, externalSymbols: externals, sites: sites,
                                 firstSite: firstSite)
    }

    // MARK: Framing

    /// Sends one message on `socket`; never raises SIGPIPE.
    package static func send(_ message: [UInt8], on socket: Int32) throws {
        var w = Writer()
        w.data(message)
        try w.bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.send(socket, buffer.baseAddress! + done, buffer.count - done, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw InternalError("tier-up: cannot send to the compile server: \(String(cString: strerror(errno)))") }
                done += n
            }
        }
    }

    /// Receives one message from `socket`; nil when the other end closed it between messages.
    package static func receive(from socket: Int32) throws -> [UInt8]? {
        var header = [UInt8](repeating: 0, count: 8)
        guard try read(&header, from: socket, allowEnd: true) else { return nil }
        var r = Reader(header)
        let count = try r.integer()
        guard count < 1 << 34 else { throw InternalError("tier-up: a message of \(count) bytes") }
        var body = [UInt8](repeating: 0, count: Int(count))
        _ = try read(&body, from: socket, allowEnd: false)
        return body
    }

    private static func read(_ buffer: inout [UInt8], from socket: Int32, allowEnd: Bool) throws -> Bool {
        let count = buffer.count
        return try buffer.withUnsafeMutableBytes { b in
            var done = 0
            while done < count {
                let n = recv(socket, b.baseAddress! + done, count - done, 0)
                if n < 0 && errno == EINTR { continue }
                if n == 0 && done == 0 && allowEnd { return false }
                guard n > 0 else { throw InternalError("tier-up: the compile server's connection ended") }
                done += n
            }
            return true
        }
    }

    private struct Writer {
        var bytes: [UInt8] = []
        mutating func integer(_ n: UInt64) { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: n >> (8 * k))) } }
        mutating func data(_ d: [UInt8]) {
            integer(UInt64(d.count))
            bytes += d
        }
        mutating func string(_ s: String) { data(Array(s.utf8)) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func integer() throws -> UInt64 {
            guard at + 8 <= bytes.count else { throw InternalError("tier-up: a truncated message") }
            var n: UInt64 = 0
            for k in (0..<8).reversed() { n = n << 8 | UInt64(bytes[at + k]) }
            at += 8
            return n
        }
        mutating func count() throws -> Int {
            let n = try integer()
            guard n <= UInt64(bytes.count - at) else { throw InternalError("tier-up: a truncated message") }
            return Int(n)
        }
        mutating func data() throws -> [UInt8] {
            let n = try count()
            defer { at += n }
            return Array(bytes[at..<at + n])
        }
        mutating func string() throws -> String { String(decoding: try data(), as: UTF8.self) }
    }
}
