// LLVM-C headers for LLVM 19. The symlinks beside this file point at Debian's
// /usr/lib/llvm-19/include so no -I flag (and so no unsafeFlags) is needed.
#include "llvm-c/Core.h"
#include "llvm-c/Support.h"
#include "llvm-c/Analysis.h"
#include "llvm-c/Target.h"
#include "llvm-c/TargetMachine.h"
#include "llvm-c/Error.h"
#include "llvm-c/Orc.h"
#include "llvm-c/LLJIT.h"
#include "llvm-c/ExecutionEngine.h"
#include "llvm-c/Disassembler.h"
#include "llvm-c/Object.h"
#include "llvm-c/Transforms/PassBuilder.h"

// The ORC symbol-pair type was renamed between LLVM 14 and 15.
typedef LLVMOrcCSymbolMapPair JitctlSymbolMapPair;
#define JITCTL_LLVM_MAJOR 19

// From LLVM 18 on, a bare instcombine verifies its fixpoint and aborts the process when it misses it.
#define JITCTL_INSTCOMBINE "instcombine<no-verify-fixpoint>"
