/* Small text helpers for tests that adapt rendered configs. */
#pragma once

/* A malloc'ed copy of `text` with every `from` replaced by `to`. */
char *text_replace_all(const char *text, const char *from, const char *to);
