/* Watches the DHCP service's directory for lease file changes and keeps
 * the LAN host names in DNS current. The loop owns the watch. */
#pragma once

struct daemon;

/* Returns the inotify fd (the caller closes it at exit), or 0 with
 * *ret_fd untouched when there is no DHCP service. */
int apply_watch_leases(struct daemon *d, int *ret_fd);
