// jitctl with the LLVM backend linked in. `jitctl` itself has no LLVM, so that runs on the
// interpreter and the x86 backend start in a few milliseconds; it replaces itself with this
// program (same arguments, same process) when a command needs LLVM.
import JitCtlCommands
import JitCtlLLVM

LinkedLLVMServices.install()
Jitctl.runMain()
