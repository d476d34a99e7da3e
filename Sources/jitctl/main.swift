import JitCtlRun

Launcher.main()
