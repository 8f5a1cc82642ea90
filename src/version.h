/* The version of picd and pic. */
#pragma once

#define PIC_VERSION "0.1.0"
