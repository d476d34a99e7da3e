import CLLVM
import JitIR
import NativeCode
import Synchronization

/// A process-wide ORC LLJIT (one per code-generation level; creating one costs about a millisecond).
///
/// Every compiled module goes into the main JITDylib under its own resource tracker, with
/// symbol names made unique by a per-module prefix; dropping the module removes the tracker,
/// which frees its code. The runtime hooks are defined once, as absolute symbols: nothing is
/// looked up in the process.
final class OrcJIT: @unchecked Sendable {
    // Safe to share: every use of `jit` happens with `lock` held.
    private let jit: LLVMOrcLLJITRef
    private let lock = Mutex<Int>(0)  // the next module number
    /// The code symbols of the objects linked during the `add` in progress, when it asks for them.
    /// Touched only with `lock` held: by `add`, and by the object transform it triggers.
    private var linkedSymbols: [ObjectFileSymbols.Symbol]?

    private static let instances = Mutex<[Int: OrcJIT]>([:])

    /// The JIT for code-generation level `optLevel` (0...3) with the hooks at `hooks`.
    static func shared(optLevel: Int, hooks: HookAddresses) throws -> OrcJIT {
        let key = max(0, min(3, optLevel))
        return try instances.withLock { table in
            if let j = table[key] { return j }
            let j = try OrcJIT(optLevel: key, hooks: hooks)
            table[key] = j
            return j
        }
    }

    private init(optLevel: Int, hooks: HookAddresses) throws {
        try LLVMSupport.ensureInitialized()
        let tm = try HostTarget.get().makeTargetMachineRef(optLevel: optLevel)
        let builder = LLVMOrcCreateLLJITBuilder()
        // The builder takes the JTMB, which took the target machine.
        LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(tm))
        var made: LLVMOrcLLJITRef?
        try LLVMSupport.check(LLVMOrcCreateLLJIT(&made, builder), "cannot create an LLJIT")
        guard let made else { throw InternalError("LLVM: LLJIT creation returned nothing") }
        jit = made
        try defineHooks(hooks)
        LLVMOrcObjectTransformLayerSetTransform(LLVMOrcLLJITGetObjTransformLayer(jit), { context, object in
            // Runs on the thread of the lookup in `add`, which holds the lock.
            guard let context, let buffer = object?.pointee else { return nil }
            let jit = Unmanaged<OrcJIT>.fromOpaque(context).takeUnretainedValue()
            if jit.linkedSymbols != nil { jit.linkedSymbols! += (try? ObjectFileSymbols.symbols(in: buffer)) ?? [] }
            return nil
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    private func defineHooks(_ hooks: HookAddresses) throws {
        let flags = LLVMJITSymbolFlags(
            GenericFlags: UInt8(LLVMJITSymbolGenericFlagsExported.rawValue | LLVMJITSymbolGenericFlagsCallable.rawValue),
            TargetFlags: 0)
        var pairs: [JitctlSymbolMapPair] = hooks.bySymbol.map { hook in
            JitctlSymbolMapPair(Name: LLVMOrcLLJITMangleAndIntern(jit, hook.name),
                                Sym: LLVMJITEvaluatedSymbol(Address: hook.address, Flags: flags))
        }
        let unit = pairs.withUnsafeMutableBufferPointer { LLVMOrcAbsoluteSymbols($0.baseAddress, $0.count) }
        if let error = LLVMOrcJITDylibDefine(LLVMOrcLLJITGetMainJITDylib(jit), unit) {
            LLVMOrcDisposeMaterializationUnit(unit)
            throw InternalError("LLVM: cannot define the runtime hooks: \(LLVMSupport.message(of: error))")
        }
    }

    /// A fresh prefix for the symbols of one module.
    func newSymbolPrefix() -> String {
        lock.withLock { n in
            n += 1
            return "jitctl.m\(n)."
        }
    }

    /// Adds the object file `object` (this takes it over; `ObjectEmission` makes it) and links it
    /// by looking up `symbols`, under the JIT's lock. Returns their addresses and the handle that
    /// keeps the code alive, and with `recordingCode`, every function's code: the linker places
    /// each object section in one piece, so a looked-up symbol's address locates the rest of its
    /// section.
    func add(object: LLVMMemoryBufferRef, symbols: [String],
             recordingCode: Bool = false) throws -> (OrcModule, [String: UInt64], [CodeSymbol]) {
        try link(symbols: symbols, recordingCode: recordingCode) { tracker in
            // Consumes `object` even on failure.
            try LLVMSupport.check(LLVMOrcLLJITAddObjectFileWithRT(jit, tracker, object), "cannot add an object file to the JIT")
        }
    }

    /// Adds code with `addTo` under a new resource tracker, then looks up `symbols`.
    private func link(symbols: [String], recordingCode: Bool,
                      addTo: (LLVMOrcResourceTrackerRef) throws -> Void) throws -> (OrcModule, [String: UInt64], [CodeSymbol]) {
        try lock.withLock { _ in
            let tracker = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(jit))!
            do {
                try addTo(tracker)
                linkedSymbols = recordingCode ? [] : nil
                defer { linkedSymbols = nil }
                var addresses: [String: UInt64] = [:]
                for name in symbols {
                    var address: LLVMOrcExecutorAddress = 0
                    try LLVMSupport.check(LLVMOrcLLJITLookup(jit, &address, name), "cannot generate code for \(name)")
                    addresses[name] = address
                }
                var sectionBases: [String: UInt64] = [:]
                for s in linkedSymbols ?? [] {
                    if let address = addresses[s.name] { sectionBases[s.section] = address &- s.offset }
                }
                let code = (linkedSymbols ?? []).compactMap { s in
                    sectionBases[s.section].map { CodeSymbol(address: $0 &+ s.offset, size: s.bytes.count, name: s.name) }
                }
                return (OrcModule(jit: self, tracker: tracker), addresses, code)
            } catch {
                removeLocked(tracker)
                throw error
            }
        }
    }

    /// Frees the code of one module.
    fileprivate func remove(_ tracker: LLVMOrcResourceTrackerRef) {
        lock.withLock { _ in removeLocked(tracker) }
    }

    private func removeLocked(_ tracker: LLVMOrcResourceTrackerRef) {
        if let error = LLVMOrcResourceTrackerRemove(tracker) {
            _ = LLVMSupport.message(of: error)  // nothing useful to do about a failed removal
        }
        LLVMOrcReleaseResourceTracker(tracker)
        // Each module interns unique names; drop the ones nothing refers to any more.
        LLVMOrcSymbolStringPoolClearDeadEntries(
            LLVMOrcExecutionSessionGetSymbolStringPool(LLVMOrcLLJITGetExecutionSession(jit)))
    }
}

/// The code of one module in an `OrcJIT`, removed from the JIT when this is released.
final class OrcModule: @unchecked Sendable {
    // Only touched in deinit, through the JIT's lock.
    private let jit: OrcJIT
    private let tracker: LLVMOrcResourceTrackerRef

    fileprivate init(jit: OrcJIT, tracker: LLVMOrcResourceTrackerRef) {
        self.jit = jit
        self.tracker = tracker
    }

    deinit { jit.remove(tracker) }
}
