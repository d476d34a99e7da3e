jitctl fuzz: cell bits 8 eof unchanged tape size 4096 input hex 000a300100 (seed 11301 program 968)
Found by the fuzzer once it wrote such loops (lostkingdom printed the wrong text): the scan
stops on a 0 the passes know of and the multiply after it adds 1 to that cell and takes it
back while a target the lowering cannot place on the tape comes between so the branch free
multiply wrote the first iteration for real and never undid the write to that cell
,[<]>>[-<<+>>>>>+<<<<<->>]-[<<]