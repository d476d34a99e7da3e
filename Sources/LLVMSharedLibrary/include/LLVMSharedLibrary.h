// LLVMSharedLibrary declares nothing: it exists to link libLLVM.
