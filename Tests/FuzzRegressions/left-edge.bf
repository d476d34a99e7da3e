jitctl fuzz: cell bits 8 eof zero tape size 3
Hand made: the unbalanced loop walks left until it touches the cell before
the left edge of the tape and traps there

+>+>+[<+]
