/* Embeds a file from the source tree into the binary as a NUL-terminated
 * byte array `name` of `name##_len` bytes (not counting the NUL). The path
 * is relative to the top of the tree, where make runs the compiler. */
#pragma once

#include <stddef.h>

#define INCBIN(name, path)                                                  \
	__asm__(".section .rodata\n"                                        \
		".global " #name "\n"                                       \
		".type " #name ", @object\n"                                \
		".balign 16\n" #name ":\n"                                  \
		".incbin \"" path "\"\n"                                   \
		".byte 0\n"                                                 \
		".global " #name "_end\n" #name "_end:\n"                   \
		".previous\n");                                             \
	extern const char name[];                                           \
	extern const char name##_end[]
#define INCBIN_LEN(name) ((size_t)(name##_end - name) - 1)
