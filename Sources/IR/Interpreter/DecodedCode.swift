/// The interpreter's instruction set: IR operations decoded into fixed-size
/// records, specialised by operand shape (register `R` / immediate `I`) and
/// width (`64` needs no normalisation; `N` narrows with a shift pair), plus
/// fused sequences (ProgramDecoder+Fusion.swift). Every IR instruction can also be
/// expressed with the general opcodes (`g…`), which evaluate through `Semantics`.
///
/// Field use is listed per opcode: `d` destination register, `a`/`b` source
/// registers, `k` immediate or memory offset, `t`/`f` branch targets
/// (instruction indices). "enc" marks an operand encoded by `OperandCode`.
enum Opcode: UInt8 {
    // MARK: General forms (any type, any operand shape).
    case gMove          // d = enc a
    case gBinary        // d = enc a <t: BinaryOp> enc b; w type; f checked
    case gUnary         // d = <t: UnaryOp> enc a; w type; f checked
    case gCompare       // d = enc a <t: predicate> enc b; w type
    case gSelect        // d = enc a ? enc b : enc t
    case gConvert       // d = <t: ConvertOp> enc a from type f to type w
    case gLoad          // d = load type w [a + k]
    case gStore         // store type w enc b, [a + k]
    case gBranch        // enc a ? goto t : goto f

    // MARK: Moves.
    case movR           // d = a
    case movI           // d = k

    // MARK: Wrapping arithmetic; N forms normalise with shift w = 64 - bits (never i1).
    case add64RR, add64RI, addNRR, addNRI
    case sub64RR, subNRR
    case mul64RR, mul64RI, mulNRR, mulNRI
    case andRR, andRI, orRR, orRI, xorRR, xorRI     // canonical in, canonical out: no width needed
    case shl64RI, shlNRI                            // k = count, 1 ..< bits
    case lshr64RI, lshrNRI
    case ashrRI

    // MARK: Checked 64-bit arithmetic (traps overflow).
    case addChk64RR, addChk64RI, subChk64RR, subChk64RI, mulChk64RR, mulChk64RI

    // MARK: 64-bit division; the RI forms only for divisors other than 0 and -1.
    case sdiv64RR, srem64RR, sdiv64RI, srem64RI

    // MARK: Select on register a: d = a & 1 ? b : t, with an immediate k in place of b (RIR) or t (RRI).
    case selRRR, selRIR, selRRI

    // MARK: Comparisons of canonical values (signed forms never for i1): d = a <p> b / k.
    case eqRR, neRR, sltRR, sleRR, sgtRR, sgeRR, ultRR, uleRR, ugtRR, ugeRR
    case eqRI, neRI, sltRI, sleRI, sgtRI, sgeRI, ultRI, uleRI, ugtRI, ugeRI

    // MARK: Comparison fused with the branch on its result: d = a <p> b / k; goto d ? t : f.
    case brEqRR, brNeRR, brSltRR, brSleRR, brSgtRR, brSgeRR, brUltRR, brUleRR, brUgtRR, brUgeRR
    case brEqRI, brNeRI, brSltRI, brSleRI, brSgtRI, brSgeRI, brUltRI, brUleRI, brUgtRI, brUgeRI

    // MARK: Memory: address a + k (wrapping), little-endian.
    case ld1, ld8, ld16, ld32, ld64                 // d = load
    case st8R, st16R, st32R, st64R                  // store register b
    case st8I, st16I, st32I, st64I                  // store immediate t
    /// `d = load [a+k]; b = d + t; store b, [a+k]`: a BF `+`/`-` run.
    case addMem8, addMem16, addMem32
    /// `d = load [a+k]; b = d + r[t]` (or `d - r[t]` when `w` is 1); `store b, [a+k]`: a BF multiply loop.
    case addMemR8, addMemR16, addMemR32
    /// `d = a + t; store d, [b+k]`: a cell whose value is kept in a register.
    case addStore8, addStore16, addStore32
    /// `d = load [a+k]; b = (d != 0) xor w; goto b ? t : f`: a BF loop test (`w` 1 for `eq`).
    case ld8BrNz, ld16BrNz, ld32BrNz
    /// `d = a + k; b = d >u f; goto b ? t : next` (f a limit in 0...Int32.max): a BF bounds check.
    case addCheckUgt

    // MARK: Control.
    case jump           // goto t
    case branchR        // a & 1 ? goto t : goto f
    case trapIfR        // trap kind t when a & 1
    case trapIfI        // trap kind t (the condition was the immediate 1)
    case trap           // trap kind t
    case retR           // return a
    case retI           // return k (0 for a return without value)
    case call           // d (or -1) = call function a, args at argument pool b, t of them; f = caller frame size
    case putByte        // output enc a
    case putBytes       // output the low enc b (clamped to 0...8) bytes of enc a, lowest first
    case getByte        // d (or -1) = input byte, normalised to type w
    case scan           // d = first address a + n*k holding a zero of type w; limit in constant b
    case enter          // one more live activation, as a call starts
    case leave          // the activation of the matching enter ends
}

/// One decoded instruction: 32 bytes, so two share a cache line.
struct DecodedInstruction {
    var op: Opcode
    var w: UInt8 = 0
    var d: Int32 = 0
    var a: Int32 = 0
    var b: Int32 = 0
    var t: Int32 = 0
    var f: Int32 = 0
    var k: Int64 = 0

    init(_ op: Opcode, w: UInt8 = 0, d: Int32 = 0, a: Int32 = 0, b: Int32 = 0, t: Int32 = 0, f: Int32 = 0,
         k: Int64 = 0) {
        self.op = op
        self.w = w
        self.d = d
        self.a = a
        self.b = b
        self.t = t
        self.f = f
        self.k = k
    }
}

/// An operand of a general instruction in one `Int32`: a register index
/// (>= 0) or the bitwise complement of an index into the constant pool.
enum OperandCode {
    static func register(_ index: Int) -> Int32 { Int32(index) }
    static func constant(_ index: Int) -> Int32 { ~Int32(index) }
}

/// What the interpreter needs to enter a function.
struct DecodedFunction {
    /// Index of the first instruction.
    var entry: Int32
    /// Registers in a frame.
    var frameSize: Int32
    /// Where the function's parameters start in `DecodedProgram.parameters`.
    var firstParameter: Int32
    var parameterCount: Int32
}

/// A parameter: the register that receives the argument and its type.
struct DecodedParameter {
    var register: Int32
    var type: IntType
}

/// A whole module, decoded: one instruction array for all functions.
struct DecodedProgram {
    var code: [DecodedInstruction] = []
    /// The source position of each instruction (for a fused pair: the first's, the only one that can trap).
    var locations: [SourceLoc] = []
    /// The function each instruction belongs to, by index.
    var owners: [Int32] = []
    var functions: [DecodedFunction] = []
    var parameters: [DecodedParameter] = []
    /// Call arguments, as `OperandCode`s.
    var arguments: [Int32] = []
    var constants: [Int64] = []
}

extension IntType {
    /// A dense code for storing a type in `DecodedInstruction.w`/`f`.
    var decodedCode: UInt8 {
        switch self {
        case .i1: 0
        case .i8: 1
        case .i16: 2
        case .i32: 3
        case .i64: 4
        }
    }

    init(decodedCode code: UInt8) {
        switch code {
        case 0: self = .i1
        case 1: self = .i8
        case 2: self = .i16
        case 3: self = .i32
        default: self = .i64
        }
    }
}
