import CLLVM
#if canImport(Glibc)
import Glibc
#endif

/// Settings of LLVM's code generator that only its command-line options reach, given to it
/// once per process before the first target machine exists.
///
/// - `-disable-x86-domain-reassignment`: the pass that moves integer work into AVX-512 mask
///   registers runs only on CPUs with AVX-512 and takes time that grows faster than the
///   function: 0.16–0.27 s of mandelbrot's compile and 1.7 s of awib's, for code (cell
///   arithmetic, pointer moves) that never benefits from mask registers.
/// - `-disable-lsr`: loop strength reduction was an eighth of the code generator's time on
///   mandelbrot (21 ms of 162 in `llc`), and Brainfuck loops have no induction variables to
///   reduce: their addresses already are a register plus a constant. Whole process, CPU, best of
///   3: mandelbrot 0.55 s to 0.51 s, factor 0.165 to 0.154, awib 0.615 to 0.587 (before the
///   vectorised scans), hanoi 0.198 to 0.194.
/// - `-disable-cgp`: CodeGenPrepare (a twentieth of `llc` on mandelbrot and awib) sinks address
///   arithmetic and compares next to their uses across blocks; our blocks mostly compute their
///   own. It lowers no intrinsic the lowering emits. Whole process, CPU, best of 7, interleaved:
///   mandelbrot 0.503 s to 0.487, factor 0.158 to 0.155, collatz 0.406 to 0.404; best of 5:
///   awib 0.384 to 0.372, hanoi 0.193 to 0.186, optimtease 1.457 to 1.447.
/// - `-enable-misched=false`: the machine instruction scheduler orders each block's instructions
///   for the modelled CPU, which an out-of-order core mostly does again by itself. Off, in one
///   interleaved run (`jitctl compare`, best of 32): factor compiles in 19.5 ms instead of 20.7,
///   mandelbrot in 47.3 instead of 49.1, dbfi in 16.0 instead of 16.3; run times moved by less
///   than the noise (collatz 1–3% either way in two runs, mandelbrot, dbfi and awib within 1%).
enum CodeGeneratorOptions {
    static let arguments = ["jitctl", "-disable-x86-domain-reassignment", "-disable-lsr", "-disable-cgp",
                            "-enable-misched=false"]

    /// Evaluated once; LLVM reports an option it does not know to a null stream, so a
    /// version without one of them still runs. `JITCTL_LLVM_OPTIONS` in the environment adds
    /// options (separated by spaces), for experiments.
    static let applied: Void = {
        var all = arguments
        if let extra = getenv("JITCTL_LLVM_OPTIONS") { all += String(cString: extra).split(separator: " ").map(String.init) }
        var pointers = all.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        pointers.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) {
                LLVMParseCommandLineOptions(Int32($0.count), $0.baseAddress, nil)
            }
        }
    }()
}
