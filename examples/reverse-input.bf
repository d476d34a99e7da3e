Reverse input: prints its input backwards and then a newline
(written for jitctl; needs EOF to read as 0: run with the option "eof zero"
as reverse_input dot args says; exercises input and a scan loop)

> , [ > , ]         read every byte into cells 1 on; the end of input reads as 0
< [ . < ]           print them from the last back to the first
> [ > ]             scan right to the zero after the text
++++++++++ .        newline
