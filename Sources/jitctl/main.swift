import JitCtlCommands

Jitctl.runMain()
