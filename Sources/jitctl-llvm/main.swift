// jitctl with the LLVM backend linked in. `jitctl` itself has no LLVM, so that runs on the
// interpreter and the x86 backend start in a few milliseconds; it replaces itself with this
// program (same arguments, same process) when a command needs LLVM, and starts it as a compile
// server (`--tier-up-server`) when `auto` has code to move to LLVM.
import JitCtlCommands
import JitCtlLLVM

TierUpServer.serveIfAsked()
LinkedLLVMServices.install()
Jitctl.runMain()
