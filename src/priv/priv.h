/* The privileged boundary. Every action that needs root (today: creating
 * the state directory, binding listening sockets and the control socket;
 * later: netlink, namespaces, nftables, spawning daemons, installing
 * files) is reached only through these functions. They take validated
 * values, never argv or paths from a request, so that moving them into a
 * separate privileged process later is a mechanical change. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Creates the state directory (0700) if missing and tightens its mode. */
int priv_state_dir_prepare(const char *path);

/* Binds a TCP listening socket on a numeric address (IPv4 or IPv6) and
 * port; returns the fd. */
int priv_tcp_listen(const char *host, uint16_t port, int *ret_fd);

/* Checks that an inherited fd is a listening TCP socket and makes it
 * non-blocking and close-on-exec. */
int priv_tcp_adopt(int fd);

/* Creates the control socket at `path`: its directory 0750, the socket
 * 0660. A stale socket left by a dead picd is replaced; one that still
 * answers is -EADDRINUSE. Returns the listening fd. */
int priv_control_socket_open(const char *path, int *ret_fd);

/* Like priv_control_socket_open, in an existing directory, for a socket a daemon's unprivileged processes connect to:
 * 0660, group `group` (postfix's lookups of picd's socketmap). */
int priv_group_socket_open(const char *path, const char *group, int *ret_fd);

/* True when a picd answers on the control socket at `path`. */
bool priv_control_socket_in_use(const char *path);
