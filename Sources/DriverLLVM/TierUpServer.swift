#if canImport(Glibc)
import Glibc
#endif
import JitCtlCore
import JitIR
import LLVMBackend
import NativeCode

/// `jitctl-llvm --tier-up-server`: compiles what `auto` running in `jitctl` sends it
/// (`RemoteTierUpCompiler`, `TierUpWire`), one request after another on its standard input, a
/// socket, until the other end closes it.
public enum TierUpServer {
    /// Serves if this process was started as the server; otherwise returns.
    public static func serveIfAsked() {
        guard CommandLine.arguments.dropFirst().first == TierUpWire.serverArgument else { return }
        while let message = try? TierUpWire.receive(from: 0) {
            guard (try? TierUpWire.send(reply(to: message), on: 0)) != nil else { break }
        }
        exit(0)
    }

    /// The reply to one request: the object, or the error the compile threw.
    package static func reply(to message: [UInt8]) -> [UInt8] {
        do {
            return TierUpWire.encode(.success(try compile(try TierUpWire.decodeRequest(message))))
        } catch {
            return TierUpWire.encode(.failure(TierUpWire.ServerError(description: "\(error)")))
        }
    }

    static func compile(_ request: TierUpWire.Request) throws -> RelocatableObject {
        let module = try IRText.parse(request.moduleText, file: "tier-up")
        try IRVerifier.verify(module)
        return try LLVMBackend(optLevel: request.optLevel).compileObject(module, bindings: request.bindings,
                                                                         firstSite: request.firstSite)
    }
}
