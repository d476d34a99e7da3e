jitctl fuzz: cell bits 8 eof minusone tape size 4096 input hex 30e5a4ff01 (seed 1601 program 16711)
Found by the fuzzer: on a guarded tape the loop adds 2 to the cell 3 left of the start 128 times
so LLVM at O2 folded that update away with its out of range access and did not trap
++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++[+>-<<<<++>>>]