/* Golden files for the renderers' unit tests: the rendered text must equal
 * tests/golden/<path> byte for byte; with GOLDEN_UPDATE=1 (make
 * golden-update) the file is rewritten instead, for a reviewer to read the
 * diff. tests/golden/check.sh runs each daemon's own checker on them.
 * Tests run from the top of the tree. */
#pragma once

#define GOLDEN_MAX (64 * 1024)

void golden_check(const char *path, const char *text);
