/* libnl answers -NLE_* codes; picd speaks -errno. Every libnl call's
 * result crosses into picd through nl_errno(). */
#pragma once

/* 0 and positive values unchanged; -NLE_x as the nearest -Ex (-EIO for
 * codes with no errno of their own). */
int nl_errno(int e);
