/* Text people type into the API: names shown, passwords. */
#pragma once

#include <stddef.h>

/* The number of code points in s[0..len) if it is valid UTF-8 (no
 * overlong forms, surrogates or values past U+10FFFF) without control
 * characters (C0, DEL, C1); -1 for anything else. */
long text_chars(const char *s, size_t len);
