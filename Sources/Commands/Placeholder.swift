import JitCtl
