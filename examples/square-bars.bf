Square bars: for n from 1 to 8 prints a line of n times n hash marks
(written for jitctl; exercises multiply and copy loops)

cell 0 counts lines; cell 1 is n; cell 2 is a copy of n; cell 3 is scratch;
cell 4 gets n times n; cell 5 holds a hash mark; cell 6 a newline; cell 7 scratch

++++++++                          eight lines
>>>>>>> +++++ [ << +++++++ > ++ > - ]   cell 5 is 35 (hash) and cell 6 is 10
<<<<<<<
[
  > +                                    n is one more
  [ - > + > + << ] >> [ - << + >> ] <    copy n to cell 2
  [ < [ - >> + > + <<< ] >> [ - << + >> ] < - ]   add n to cell 4 n times
  >> [ > . < - ]                         print that many hash marks
  >> .                                   newline
  <<<<<< -
]
