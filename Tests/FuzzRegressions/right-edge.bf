jitctl fuzz: cell bits 16 eof minusone tape size 4 input hex 41
Hand made: reads A and prints it; a multiply loop copies it twice; EOF in 16 bits
stores minus one; then the pointer walks off the right edge of the 4 cell tape

,.[>+>++<<-]>.>.>,.>+
