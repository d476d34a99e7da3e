#if canImport(Glibc)
import Glibc
#endif
import JitIR
import NativeCode

/// Compiles tier-up code in a compile server, `jitctl-llvm --tier-up-server`, started on the first
/// compile: `jitctl` itself never loads LLVM, so a run that never gets hot starts and ends as fast
/// as one on x86 (docs/tiering.md). The server compiles for this process's addresses and answers
/// with an object file, which is loaded here (`LoadedObject`). One server serves the process; it
/// ends when this process closes its end of the socket, at exit at the latest.
public final class RemoteTierUpCompiler: TierUpCompiler, @unchecked Sendable {
    // @unchecked: `socket` is only touched while holding `monitor`'s lock.
    /// The `jitctl-llvm` executable.
    public let executable: String
    private let monitor = Monitor()
    private var socket: Int32 = -1

    public init(executable: String) {
        self.executable = executable
    }

    /// The server next to this executable (`Companion.path`), when it is there.
    public static let companion: RemoteTierUpCompiler? = {
        guard let path = Companion.path(), access(path, X_OK) == 0 else { return nil }
        return RemoteTierUpCompiler(executable: path)
    }()

    public func compileForTierUp(_ module: Module, options: BackendOptions, context: NativeContext,
                                 firstSite: Int) throws -> any TierUpCode {
        let request = TierUpWire.Request(module, options: options, context: context, firstSite: firstSite)
        let reply: [UInt8] = try monitor.withLock {
            if socket < 0 { socket = try start() }
            do {
                try TierUpWire.send(TierUpWire.encode(request), on: socket)
                guard let reply = try TierUpWire.receive(from: socket) else {
                    throw InternalError("tier-up: the compile server ended")
                }
                return reply
            } catch {
                close(socket)  // a server that failed once is not asked again
                socket = -1
                throw error
            }
        }
        return try LoadedTierUpCode(try TierUpWire.decodeReply(reply))
    }

    /// Servers started by this process, ended by `stopServers`.
    private static let started = Monitor()
    nonisolated(unsafe) private static var servers: [pid_t] = []  // guarded by `started`

    /// Ends every server this process started and waits for them, so that none outlives the run
    /// (a compile still going is not needed any more) and their time counts as this process's.
    public static func stopServers() {
        started.withLock {
            for pid in servers {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            }
            servers = []
        }
    }

    /// Starts the server with one end of a socket pair as its standard input.
    private func start() throws -> Int32 {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw InternalError("tier-up: socketpair failed: \(String(cString: strerror(errno)))")
        }
        defer { close(ends[1]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 0)
        let arguments = [executable, TierUpWire.serverArgument]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        guard status == 0 else {
            close(ends[0])
            throw InternalError("tier-up: cannot start \(executable): \(String(cString: strerror(status)))")
        }
        Self.started.withLock { Self.servers.append(pid) }
        return ends[0]
    }
}

/// Tier-up code compiled elsewhere and loaded into this process.
package final class LoadedTierUpCode: TierUpCode {
    let object: RelocatableObject
    let loaded: LoadedObject

    package init(_ object: RelocatableObject) throws {
        self.object = object
        loaded = try LoadedObject(object.bytes) { name in
            object.externalSymbols[name] ?? dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { UInt64(UInt(bitPattern: $0)) }
        }
    }

    package func entryAddress(_ name: String) -> UInt64? {
        object.entrySymbols[name].flatMap { loaded.address(of: $0) }
    }

    package func trapSite(_ index: Int) -> Trap? {
        let i = index - object.firstSite
        return object.sites.indices.contains(i) ? object.sites[i] : nil
    }

    package var codeSymbols: [CodeSymbol] {
        loaded.functions.map { CodeSymbol(address: $0.address, size: $0.size, name: "@\($0.name) (LLVM, moved to while running)") }
    }
}
