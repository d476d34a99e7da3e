import os
import sys

# The tests import their helper modules (corpus, unsupported_mix, ...) from this folder.
sys.path.insert(0, os.path.dirname(__file__))

BACKENDS = ["x86", "llvm"]
