Alphabet triangle: prints ten lines "A" "AB" "ABC" and so on up to "ABCDEFGHIJ"
(written for jitctl; exercises nested loops and copy loops)

cell 0 counts lines; cell 1 is the line length; cells 2 and 3 copy it;
cell 4 is the letter; cell 5 holds a newline; cell 6 is scratch

++++++++++                        ten lines
>>>>> ++++++++++ <<<<<            newline in cell 5
[
  > +                             the line is one letter longer
  [ - > + > + << ] >> [ - << + >> ]      copy cell 1 to cell 2 (through cell 3)
  > [ - ]                         letter cell to zero
  >> ++++++++ [ << ++++++++ >> - ] << +  letter A is 65
  << [ >> . + << - ]              print the letters
  >>> .                           end the line
  <<<<< -
]
