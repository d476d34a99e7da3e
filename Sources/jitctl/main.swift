import JitCtlCommands

Jitctl.main()
