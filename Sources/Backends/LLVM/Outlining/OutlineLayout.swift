#if canImport(Glibc)
import Glibc
#endif
import JitIR

/// How a module's functions are cut into pieces (`OutlinePlan`), and which pieces are compiled
/// only when first called. Made once per compile, before lowering, from the module after
/// `RecursiveInlining` (the module the lowering and any later piece compile see).
struct OutlineLayout: Sendable {
    /// The module every piece is lowered from.
    let module: JitIR.Module
    /// The calls that need a stack check, found once for the module and every piece of it.
    let recursion: RecursiveCalls
    /// The plan of each function, by its index in `module.functions`.
    let plans: [OutlinePlan]
    /// The lazily compiled pieces, by their slot in the code-address table: (function index, piece).
    let lazySlots: [(function: Int, piece: Int)]
    /// The slot of each lazily compiled piece, by function index and piece.
    let slotOfPiece: [[Int: Int]]

    /// Plans every function with `options`. Pieces are lazy only when asked and when no function
    /// calls another: a piece compiled alone in its own LLVM module could not call the module's
    /// internal functions.
    init(_ source: JitIR.Module, options: LLVMOutlining, lazyAllowed: Bool) {
        let module = RecursiveInlining.run(source)
        self.module = module
        recursion = RecursiveCalls(module)
        plans = module.functions.map { OutlinePlan($0, cap: options.pieceInstructions) }
        let calls = module.functions.contains { f in
            f.blocks.contains { $0.instructions.contains { if case .call = $0.op { true } else { false } } }
        }
        var slots: [(function: Int, piece: Int)] = []
        var slotOfPiece = [[Int: Int]](repeating: [:], count: module.functions.count)
        if options.lazy && lazyAllowed && !calls {
            for (f, plan) in plans.enumerated() {
                for p in plan.pieces.indices.dropFirst() {
                    slotOfPiece[f][p] = slots.count
                    slots.append((f, p))
                }
            }
        }
        lazySlots = slots
        self.slotOfPiece = slotOfPiece
    }

    var isLazy: Bool { !lazySlots.isEmpty }

    /// How many LLVM functions the module's IR functions become.
    var pieceCount: Int { plans.reduce(0) { $0 + $1.pieces.count } }
}

/// How the LLVM backend cuts large functions into pieces and when it compiles them
/// (docs/llvm.md, "Outlining").
public struct LLVMOutlining: Sendable, Hashable {
    /// The most IR instructions a piece holds of its own, where blocks allow; `Int.max` keeps
    /// every function whole.
    public var pieceInstructions: Int
    /// Whether pieces other than the functions themselves are compiled when first called
    /// (ORC only; MCJIT compiles everything at once).
    public var lazy: Bool
    /// With `lazy`: a piece is first compiled quickly (mem2reg only, LLVM's fast instruction
    /// selector and register allocator), and again at the full level on this call; 0 compiles
    /// it at the full level at once.
    public var tierUpCalls: Int
    /// Modules with fewer IR instructions than this compile every piece at the full level at
    /// once: they compile quickly enough anyway.
    public var tieringInstructions: Int
    /// With `lazy`, on a machine with a second processor: how many IR instructions of pieces a
    /// thread of the program's own compiles before they are called, in program order, while the
    /// program compiles and runs (`LazyPieces`). 0 runs nothing on another thread: no compile
    /// ahead, and tier-ups compiled on the run's thread.
    public var aheadInstructions: Int

    public init(pieceInstructions: Int = LLVMOutlining.defaultPieceInstructions, lazy: Bool = true,
                tierUpCalls: Int = LLVMOutlining.defaultTierUpCalls,
                tieringInstructions: Int = LLVMOutlining.defaultTieringInstructions,
                aheadInstructions: Int = LLVMOutlining.defaultAheadInstructions) {
        self.pieceInstructions = max(1, pieceInstructions)
        self.lazy = lazy
        self.tierUpCalls = max(0, tierUpCalls)
        self.tieringInstructions = max(0, tieringInstructions)
        self.aheadInstructions = max(0, aheadInstructions)
    }

    /// Calls and loop iterations (see docs/llvm.md for the measurements behind it). 3,000 rather
    /// than 1,000: hanoi's pieces that run a few thousand times no longer pay for a full compile
    /// (whole process, CPU: 0.186 s to 0.120), optimtease 1.58 s to 1.55, awib unchanged.
    public static let defaultTierUpCalls = 3_000
    public static let defaultTieringInstructions = 10_000

    /// See docs/llvm.md for the measurements behind it.
    public static let defaultPieceInstructions = 2_500

    /// See docs/llvm.md ("Compiling on a second core") for the measurements behind it.
    public static let defaultAheadInstructions = 20_000

    /// Every function whole and compiled at once, as before outlining existed.
    public static let off = LLVMOutlining(pieceInstructions: Int.max, lazy: false)

    /// These settings with `JITCTL_LLVM_OUTLINE` (a piece size, or `off`), `JITCTL_LLVM_LAZY`
    /// (`0` or `1`), `JITCTL_LLVM_TIER_UP`, `JITCTL_LLVM_TIERING_MIN` and `JITCTL_LLVM_AHEAD`
    /// (numbers) from the environment applied, for experiments.
    func fromEnvironment() -> LLVMOutlining {
        var result = self
        if let text = getenv("JITCTL_LLVM_OUTLINE").map({ String(cString: $0) }) {
            if text == "off" { result.pieceInstructions = Int.max } else if let n = Int(text), n > 0 { result.pieceInstructions = n }
        }
        if let text = getenv("JITCTL_LLVM_LAZY").map({ String(cString: $0) }) {
            result.lazy = text != "0"
        }
        if let text = getenv("JITCTL_LLVM_TIER_UP").map({ String(cString: $0) }), let n = Int(text), n >= 0 {
            result.tierUpCalls = n
        }
        if let text = getenv("JITCTL_LLVM_TIERING_MIN").map({ String(cString: $0) }), let n = Int(text), n >= 0 {
            result.tieringInstructions = n
        }
        if let text = getenv("JITCTL_LLVM_AHEAD").map({ String(cString: $0) }), let n = Int(text), n >= 0 {
            result.aheadInstructions = n
        }
        return result
    }
}
