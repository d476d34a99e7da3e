import JitIR

/// One place in the generated code that can trap. The trap hook receives the
/// site's index; `X86Program` turns it back into a `Trap`.
public struct TrapSite: Hashable, Sendable {
    public var kind: TrapKind
    public var loc: SourceLoc
    public var function: String

    public init(kind: TrapKind, loc: SourceLoc, function: String) {
        self.kind = kind
        self.loc = loc
        self.function = function
    }

    public var trap: Trap { Trap(kind: kind, loc: loc, function: function) }
}
