Hello jitctl: prints the greeting "Hello from jitctl!" and a newline
(written for jitctl; every character that is not a command is a comment)

++++++++++ [ > +++++++ > ++++++++++ > +++ > + <<<< - ]
               cells 1 to 4 now hold 70  100  30  10
> ++ .           H  72
> + .            e  101
+++++++ . .      l  108 twice
+++ .            o  111
> ++ .           space  32
< --------- .    f  102
++++++++++++ .   r  114
--- .            o  111
-- .             m  109
> .              space
< --- .          j  106
- .              i  105
+++++++++++ .    t  116
----------------- .  c  99
+++++++++++++++++ .  t  116
-------- .       l  108
> + .            exclamation mark  33
> .              newline  10
