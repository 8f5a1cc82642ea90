/* QR symbols as PNG images, for the web page that shows a VPN peer's
 * client config. picd only: the CLI draws on the terminal (qr_terminal). */
#pragma once

#include "common/buf.h"
#include "common/qr.h"

/* Appends a 1-bit grayscale PNG of `q`: black modules on white,
 * QR_QUIET_ZONE modules of white around, `module_px` pixels per module.
 * -EINVAL if module_px is outside QR_MODULE_PX_MIN..QR_MODULE_PX_MAX;
 * -E2BIG or -ENOMEM from the buffer; -ENOMEM if libpng fails (with
 * the parameters checked, only its allocations can). On failure `out` is
 * left as it was. */
int qr_png(const struct qr *q, unsigned module_px, struct buf *out);
