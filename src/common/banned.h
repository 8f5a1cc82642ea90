/* Functions PIC never calls: unbounded copies, unchecked conversions and
 * anything that runs a shell. Every .c file includes this header last,
 * after the system headers that declare them (poisoning an identifier
 * before its declaration would break those headers). `make check-banned`
 * also greps the tree for them. */
#pragma once

#pragma GCC poison sprintf vsprintf strcpy strcat strncpy gets atoi system popen
