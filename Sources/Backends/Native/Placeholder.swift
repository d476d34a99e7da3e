import JitIR
