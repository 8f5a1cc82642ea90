/* `pic dhcp`: DHCP on a LAN interface (/api/dhcp/config), address
 * reservations (/api/dhcp/reservations) and the active leases
 * (/api/dhcp/leases). */
#pragma once

#include "cli_cmd.h"

extern const struct cli_cmd cli_dhcp_cmds[];
