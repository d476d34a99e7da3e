import BFFrontend
import JitCtl
import JitCtlLLVM
import JitIR
import NativeCode
import TestSupport
import Testing

/// Compiles as the compile server does, in this process: the request and the reply go through
/// `TierUpWire`'s messages, and the object through `LoadedObject`.
struct WireCompiler: TierUpCompiler {
    func compileForTierUp(_ module: Module, options: BackendOptions, context: NativeContext,
                          firstSite: Int) throws -> any TierUpCode {
        let request = TierUpWire.encode(TierUpWire.Request(module, options: options, context: context, firstSite: firstSite))
        return try LoadedTierUpCode(try TierUpWire.decodeReply(TierUpServer.reply(to: request)))
    }
}

/// `jitctl` runs `auto` itself and has LLVM compile in a server process (`RemoteTierUpCompiler`):
/// code compiled for this process's addresses, sent back as an object file and loaded here.
@Suite struct TierUpServerTests {
    static func auto(atPoll n: Int, optLevel: Int = 2) -> TieredEngine {
        TieredEngine(options: BackendOptions(llvmOptLevel: optLevel),
                     policy: TierUpPolicy(maximumCompiles: 1, compileAtPoll: n), compiler: WireCompiler())
    }

    @Test(arguments: [1, 3, 17])
    func everyIRProgramGivesItsResultThroughTheServersMessages(_ poll: Int) throws {
        var problems: [String] = []
        for c in try IRProgramCorpus.all() { problems += try c.check(with: Self.auto(atPoll: poll)) }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func bfProgramsMatchTheInterpreterThroughTheServersMessages() throws {
        for (source, input) in TieringTests.programs {
            let module = try BFFrontend.compile(source: Array(source.utf8), file: "t.bf", options: BFOptions(tapeSize: 4096))
            let reference = try EngineOutcome.run(module, on: Interpreter(), input: input)
            for poll in 1...6 {
                let outcome = try EngineOutcome.run(module, on: Self.auto(atPoll: poll, optLevel: poll % 2 == 0 ? 2 : 0), input: input)
                #expect(outcome == reference, "\(source) moved at poll \(poll)")
            }
        }
    }

    @Test func aRequestAndAReplySurviveTheirMessages() throws {
        let module = try IRText.parse(SampleModules.sumToText, file: "loop.ir")
        let context = try NativeContext(memorySize: 0, guardBytes: 0)
        let request = TierUpWire.Request(module, options: BackendOptions(llvmOptLevel: 1), context: context, firstSite: 7)
        #expect(try TierUpWire.decodeRequest(TierUpWire.encode(request)) == request)
        let object = RelocatableObject(bytes: [1, 2, 3], entrySymbols: ["f": "e.f"], externalSymbols: ["h": 42],
                                       sites: [Trap(kind: .overflow, loc: SourceLoc(line: 3, column: 9), function: "f")], firstSite: 7)
        #expect(try TierUpWire.decodeReply(TierUpWire.encode(.success(object))) == object)
        #expect(throws: TierUpWire.ServerError.self) {
            try TierUpWire.decodeReply(TierUpWire.encode(.failure(TierUpWire.ServerError(description: "no"))))
        }
        #expect(throws: (any Error).self) { try TierUpWire.decodeReply(Array(TierUpWire.encode(.success(object)).dropLast())) }
    }

    @Test func aModuleTheServerCannotReadIsAnErrorNotACrash() throws {
        var request = TierUpWire.Request(optLevel: 2, firstSite: 0, bindings: .placeholder, moduleText: "func @f( {")
        #expect(throws: TierUpWire.ServerError.self) { try TierUpWire.decodeReply(TierUpServer.reply(to: TierUpWire.encode(request))) }
        request.moduleText = ""
        #expect(throws: (any Error).self) { try TierUpWire.decodeReply(TierUpServer.reply(to: Array(TierUpWire.encode(request).prefix(5)))) }
    }
}
