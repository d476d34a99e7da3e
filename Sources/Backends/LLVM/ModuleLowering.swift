import CLLVM
import JitIR
import NativeCode

/// An LLVM module produced from an IR module, not yet verified or optimised.
struct LoweredModule {
    /// Owned by the caller (dispose it, or hand it to a JIT that takes ownership).
    let module: LLVMModuleRef
    /// For each IR function, the exported symbol of its C-ABI entry wrapper.
    let entrySymbols: [String: String]
    let sites: [Trap]
    /// Whether the source module has memory: code over memory cells (Brainfuck) rather than
    /// over registers (bytecode), which decides the pass pipeline.
    let usesMemory: Bool
}

/// The LLVM types the lowering uses, made in one context.
struct LLVMTypes {
    let context: LLVMContextRef
    let i1, i8, i16, i32, i64, void: LLVMTypeRef
    /// `i8*` (`ptr` with opaque pointers).
    let bytePointer: LLVMTypeRef

    init(_ context: LLVMContextRef) {
        self.context = context
        i1 = LLVMInt1TypeInContext(context)
        i8 = LLVMInt8TypeInContext(context)
        i16 = LLVMInt16TypeInContext(context)
        i32 = LLVMInt32TypeInContext(context)
        i64 = LLVMInt64TypeInContext(context)
        void = LLVMVoidTypeInContext(context)
        bytePointer = LLVMPointerType(i8, 0)
    }

    func int(_ t: IntType) -> LLVMTypeRef {
        switch t {
        case .i1: i1
        case .i8: i8
        case .i16: i16
        case .i32: i32
        case .i64: i64
        }
    }

    func function(_ result: LLVMTypeRef, _ parameters: [LLVMTypeRef]) -> LLVMTypeRef {
        var ps: [LLVMTypeRef?] = parameters
        return ps.withUnsafeMutableBufferPointer {
            LLVMFunctionType(result, $0.baseAddress, UInt32($0.count), 0)
        }
    }
}

/// A declared or defined LLVM function with its type (calls need both), or a hook's address.
struct Callee {
    let value: LLVMValueRef
    let type: LLVMTypeRef
    /// Function attributes every call of it carries (a hook called through its address has no
    /// declaration to carry them).
    var callAttributes: [LLVMAttributeRef] = []
}

/// Lowers a whole IR module: declares the runtime hooks, defines one internal LLVM function
/// per IR function and one exported C-ABI wrapper per function (`i64 (i64, ...)`), which the
/// native runtime calls.
final class ModuleLowering {
    let context: LLVMContextRef
    let types: LLVMTypes
    let module: LLVMModuleRef
    let source: JitIR.Module
    let bindings: RuntimeAddresses
    let host: HostTarget
    let sites: TrapSiteTable
    var recursion: RecursiveCalls { layout.recursion }
    /// The pieces of every function, and the table lazily compiled pieces are called through.
    let layout: OutlineLayout
    let lazy: LazyLinkage?

    private(set) var putByte: Callee!
    private(set) var putBytes: Callee!
    private(set) var getByte: Callee!
    private(set) var trap: Callee!
    private(set) var memchr: Callee!
    private(set) var memrchr: Callee!
    private(set) var compilePiece: Callee!
    /// The LLVM functions of the pieces this module defines, by function index and piece.
    var pieceCallees: [[Int: Callee]] = []
    /// Whether the pieces lowered are their quick first tier (`LazyPieces`): their loops back to
    /// the root count iterations and return to be called again once the piece is hot.
    var quickTier = false
    /// Each function's index in the source module.
    private(set) var functionIndex: [String: Int] = [:]
    private(set) var functions: [String: (callee: Callee, ir: Function)] = [:]
    private var intrinsics: [String: Callee] = [:]

    init(context: LLVMContextRef, layout: OutlineLayout, bindings: RuntimeAddresses, host: HostTarget,
         moduleName: String, sites: TrapSiteTable = TrapSiteTable(), lazy: LazyLinkage? = nil) {
        self.context = context
        self.types = LLVMTypes(context)
        self.source = layout.module
        self.layout = layout
        self.bindings = bindings
        self.host = host
        self.sites = sites
        self.lazy = lazy
        module = LLVMModuleCreateWithNameInContext(moduleName, context)
        pieceCallees = Array(repeating: [:], count: source.functions.count)
    }

    /// The memory base as a constant pointer.
    var memoryBase: LLVMValueRef {
        LLVMConstIntToPtr(LLVMConstInt(types.i64, bindings.memoryBase, 0), types.bytePointer)
    }

    /// The hook context, passed as the first argument of every hook.
    var hookContext: LLVMValueRef { LLVMConstInt(types.i64, bindings.context, 0) }

    /// The lowest stack address code may reach before it must trap `recursion_limit`
    /// (`NativeContext` stores it in the context block before every run).
    var stackLimitAddress: LLVMValueRef { contextField(ContextLayout.stackLimit) }

    /// The context block's count of calls that may still start (`ContextLayout.callBudget`),
    /// read once by each entry wrapper: inside the module it travels as a parameter.
    var callBudgetAddress: LLVMValueRef { contextField(ContextLayout.callBudget) }

    /// A pointer to the i64 field at `offset` in the context block.
    private func contextField(_ offset: Int32) -> LLVMValueRef {
        let address = bindings.context &+ UInt64(offset)
        return LLVMConstIntToPtr(LLVMConstInt(types.i64, address, 0), LLVMPointerType(types.i64, 0))
    }

    /// `llvm.read_register.i64(!"rsp")`'s metadata argument.
    var stackPointerName: LLVMValueRef {
        var name: LLVMMetadataRef? = LLVMMDStringInContext2(context, "rsp", 3)
        let node = LLVMMDNodeInContext2(context, &name, 1)
        return LLVMMetadataAsValue(context, node)
    }

    /// Lowers everything. `entryPrefix` names the wrappers (`<prefix><function>`); it makes
    /// symbols unique when many modules share one JIT. On failure the module is disposed.
    func lower(entryPrefix: String) throws -> LoweredModule {
        do {
            declareHooks()
            for f in source.functions { try declare(f) }
            for (i, f) in source.functions.enumerated() {
                functionIndex[f.name] = i
                let plan = layout.plans[i]
                for p in plan.pieces.indices.dropFirst() where layout.slotOfPiece[i][p] == nil {
                    pieceCallees[i][p] = declarePiece(f, plan.pieces[p], number: p, named: "\(f.name).piece\(p)", exported: false)
                }
            }
            var entries: [String: String] = [:]
            for (i, f) in source.functions.enumerated() {
                guard let (callee, _) = functions[f.name] else { continue }
                let plan = layout.plans[i]
                try FunctionLowering(module: self, function: f, target: callee, plan: plan).lower()
                for (p, piece) in pieceCallees[i] {
                    try FunctionLowering(module: self, function: f, target: piece, plan: plan, piece: p).lower()
                }
                entries[f.name] = defineWrapper(for: f, calling: callee, named: entryPrefix + f.name)
            }
            return LoweredModule(module: module, entrySymbols: entries, sites: sites.sites,
                                 usesMemory: source.memorySize > 0)
        } catch {
            LLVMDisposeModule(module)
            throw error
        }
    }

    /// Lowers one piece of one function alone, as an exported function named `name` (a piece
    /// compiled lazily, in a module of its own); with `loopEntry`, that loop of the piece alone.
    /// On failure the module is disposed.
    func lowerPiece(function f: Int, piece p: Int, loopEntry: Int? = nil, named name: String) throws -> LLVMModuleRef {
        do {
            declareHooks()
            let function = source.functions[f]
            functionIndex[function.name] = f
            let plan = layout.plans[f]
            let region = loopEntry.map { plan.pieces[p].loopEntries[$0].region }
            let target = declarePiece(function, region ?? plan.pieces[p], number: region == nil ? p : nil, named: name, exported: true)
            try FunctionLowering(module: self, function: function, target: target, plan: plan, piece: p,
                                 loopEntry: loopEntry).lower()
            return module
        } catch {
            LLVMDisposeModule(module)
            throw error
        }
    }

    // MARK: Declarations

    /// The hooks compiled code calls often are called through their addresses, as constants: with
    /// the large code model a JIT needs, LLVM's fast instruction selector (the quick tier's) gives
    /// up on every direct call of an external function and hands the rest of its block to the
    /// slow one; optimtease calls `putbyte` from three thousand places. The trap hook, called from
    /// one block in 256 sites, keeps its declaration (and its name in dumps).
    private func declareHooks() {
        let i64 = types.i64
        let hooks = bindings.hooks
        let nounwind = enumAttribute("nounwind")
        // The I/O hooks touch only the runtime's buffers, which the program cannot address, so
        // cell values may stay in registers across them.
        let io = [inaccessibleMemoryOnly(), nounwind].compactMap { $0 }
        putByte = hook(hooks.putByte, types.function(types.void, [i64, i64]), io)
        putBytes = hook(hooks.putBytes, types.function(types.void, [i64, i64, i64]), io)
        getByte = hook(hooks.getByte, types.function(i64, [i64]), io)
        let search = types.function(i64, [i64, types.int(.i32), i64])
        memchr = hook(hooks.memchr, search, [nounwind].compactMap { $0 })
        memrchr = hook(hooks.memrchr, search, [nounwind].compactMap { $0 })
        if lazy != nil {
            compilePiece = hook(LazyPieces.hookAddress, types.function(i64, [i64, i64]), [nounwind].compactMap { $0 })
        }
        // The trap hook may read everything (the memory is inspected after a trap) and never returns.
        trap = declareExternal(HookSymbol.trap, types.function(types.void, [i64, i64]))
        addEnumAttribute("noreturn", to: trap.value)
        addEnumAttribute("cold", to: trap.value)
        addEnumAttribute("nounwind", to: trap.value)
    }

    /// A hook called through its address, with `attributes` on every call.
    private func hook(_ address: UInt64, _ type: LLVMTypeRef, _ attributes: [LLVMAttributeRef]) -> Callee {
        let value = LLVMConstIntToPtr(LLVMConstInt(types.i64, address, 0), LLVMPointerType(type, 0))!
        return Callee(value: value, type: type, callAttributes: attributes)
    }

    private func declareExternal(_ name: String, _ type: LLVMTypeRef) -> Callee {
        let f = LLVMAddFunction(module, name, type)!
        LLVMSetLinkage(f, LLVMExternalLinkage)
        return Callee(value: f, type: type)
    }

    private func declare(_ f: Function) throws {
        guard functions[f.name] == nil else {
            throw InternalError("LLVM lowering: function @\(f.name) is defined twice")
        }
        let result = f.resultType.map(types.int) ?? types.void
        // The last parameter is the call budget: how many more calls may start (the IR's
        // recursion rule). As a value rather than a field in memory it costs a register, and
        // LLVM can see that a callee gives back what it was given.
        let type = types.function(result, f.parameters.map { types.int(f.type(of: $0)) } + [types.i64])
        let value = LLVMAddFunction(module, f.name, type)!
        // Internal: the optimiser may inline, specialise or delete it; only wrappers are exported.
        LLVMSetLinkage(value, LLVMInternalLinkage)
        addHostAttributes(value)
        addEnumAttribute("nounwind", to: value)
        functions[f.name] = (Callee(value: value, type: type), f)
    }

    // MARK: Wrappers

    /// `i64 @<prefix>f(i64 ...)`: narrows the arguments, calls `f`, and widens the result the way
    /// IR values are canonical (i1 zero-extended, the rest sign-extended). A function with more
    /// parameters than the runtime passes in registers gets `i64 @<prefix>f(i64* args)` instead,
    /// reading its arguments from an array, as x86's adapters do.
    private func defineWrapper(for f: Function, calling callee: Callee, named name: String) -> String {
        let i64 = types.i64
        let throughArray = f.parameters.count > NativeContext.maxArguments
        let type = types.function(i64, Array(repeating: i64, count: throughArray ? 1 : f.parameters.count))
        let wrapper = LLVMAddFunction(module, name, type)!
        LLVMSetLinkage(wrapper, LLVMExternalLinkage)
        addHostAttributes(wrapper)
        let b = LLVMCreateBuilderInContext(context)!
        defer { LLVMDisposeBuilder(b) }
        LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(context, wrapper, "entry"))
        var args: [LLVMValueRef?] = []
        let array = throughArray
            ? LLVMBuildIntToPtr(b, LLVMGetParam(wrapper, 0), LLVMPointerType(i64, 0), "args") : nil
        for (i, p) in f.parameters.enumerated() {
            var raw = LLVMGetParam(wrapper, UInt32(i))
            if let array {
                var index: LLVMValueRef? = LLVMConstInt(i64, UInt64(i), 0)
                let slot = LLVMBuildGEP2(b, i64, array, &index, 1, "")
                raw = LLVMBuildLoad2(b, i64, slot, "arg\(i)")
            }
            let t = f.type(of: p)
            args.append(t == .i64 ? raw : LLVMBuildTrunc(b, raw, types.int(t), "arg\(i)"))
        }
        args.append(LLVMBuildLoad2(b, i64, callBudgetAddress, "call.budget"))
        let call = args.withUnsafeMutableBufferPointer {
            LLVMBuildCall2(b, callee.type, callee.value, $0.baseAddress, UInt32($0.count), "")!
        }
        switch f.resultType {
        case nil: LLVMBuildRet(b, LLVMConstInt(i64, 0, 0))
        case .i64?: LLVMBuildRet(b, call)
        case .i1?: LLVMBuildRet(b, LLVMBuildZExt(b, call, i64, "result"))
        default: LLVMBuildRet(b, LLVMBuildSExt(b, call, i64, "result"))
        }
        var length = 0
        return String(cString: LLVMGetValueName2(wrapper, &length))
    }

    // MARK: Intrinsics

    /// `llvm.<name>` overloaded on `t` (e.g. `llvm.sadd.with.overflow.i32`).
    func intrinsic(_ name: String, _ t: IntType) throws -> Callee {
        let key = "\(name).\(t)"
        if let c = intrinsics[key] { return c }
        let full = "llvm." + name
        let id = LLVMLookupIntrinsicID(full, full.utf8.count)
        guard id != 0 else { throw InternalError("LLVM lowering: no intrinsic \(full)") }
        var overload: [LLVMTypeRef?] = [types.int(t)]
        let c = overload.withUnsafeMutableBufferPointer { buf in
            Callee(value: LLVMGetIntrinsicDeclaration(module, id, buf.baseAddress, 1),
                   type: LLVMIntrinsicGetType(context, id, buf.baseAddress, 1))
        }
        intrinsics[key] = c
        return c
    }

    // MARK: Attributes

    private static let functionIndex = LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex))

    /// Code is generated for the host CPU; with these attributes MCJIT (which would otherwise
    /// pick a generic CPU) and ORC agree.
    func addHostAttributes(_ f: LLVMValueRef) {
        addStringAttribute("target-cpu", host.cpu, to: f)
        addStringAttribute("target-features", host.features, to: f)
    }

    private func addStringAttribute(_ key: String, _ value: String, to f: LLVMValueRef) {
        let attr = LLVMCreateStringAttribute(context, key, UInt32(key.utf8.count), value, UInt32(value.utf8.count))
        LLVMAddAttributeAtIndex(f, Self.functionIndex, attr)
    }

    func addEnumAttribute(_ name: String, value: UInt64 = 0, to f: LLVMValueRef) {
        guard let attribute = enumAttribute(name, value: value) else { return }
        LLVMAddAttributeAtIndex(f, Self.functionIndex, attribute)
    }

    /// Adds the callee's `callAttributes` to a call of it.
    static func addCallAttributes(of callee: Callee, to call: LLVMValueRef) {
        for attribute in callee.callAttributes { LLVMAddCallSiteAttribute(call, functionIndex, attribute) }
    }

    /// Nil when this LLVM does not know the attribute.
    private func enumAttribute(_ name: String, value: UInt64 = 0) -> LLVMAttributeRef? {
        let kind = LLVMGetEnumAttributeKindForName(name, name.utf8.count)
        guard kind != 0 else { return nil }
        return LLVMCreateEnumAttribute(context, kind, value)
    }

    /// LLVM 14 spells it `inaccessiblememonly`; LLVM 16+ uses `memory(inaccessiblemem: readwrite)`,
    /// an integer attribute whose value packs two mod/ref bits per location (inaccessible memory is
    /// location 1, so readwrite is 3 << 2).
    private func inaccessibleMemoryOnly() -> LLVMAttributeRef? {
        enumAttribute("inaccessiblememonly") ?? enumAttribute("memory", value: 3 << 2)
    }
}
