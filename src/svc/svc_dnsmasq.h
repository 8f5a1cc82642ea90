/* DHCP: dnsmasq, DHCP only (port=0), serving the LAN interface of the host
 * from picd's own network namespace. It announces the host's LAN address
 * as DNS and NTP server (the host forwards those ports to the cell's
 * services), the gateway when one is set, and the cell's zone as domain.
 *
 * Files in the service directory (SVC_ROOT inside the sandbox):
 *   dnsmasq.conf     rendered here; a change means a restart (SIGHUP does
 *                    not re-read it)
 *   dnsmasq.leases   dnsmasq's lease file (dhcp_leases_parse reads it)
 *   hosts.d/         one file per reservation, named by
 *                    svc_dnsmasq_host_file_name, holding
 *                    svc_dnsmasq_host_line. dnsmasq reads a file that
 *                    appears there by itself (inotify, IN_CLOSE_WRITE or
 *                    IN_MOVED_TO) but keeps the records of a file that is
 *                    changed or deleted until SIGHUP, which re-reads the
 *                    directory whole. It also reads any temp file written
 *                    there unless its name starts with '.'.
 * dnsmasq opens its sockets, config and lease file as root and then runs
 * as "nobody": the directory must be searchable (0711 root will do),
 * hosts.d readable and searchable (0755: inotify and SIGHUP read it as
 * nobody) and its files readable (0644). Nothing there should be owned by
 * or writable for nobody: a config nobody can change is read as root at
 * the next start. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svc_ops.h"

#define SVC_DNSMASQ_LEASE_FILE "dnsmasq.leases" /* in the service directory */
#define SVC_DNSMASQ_HOSTS_DIR "hosts.d"         /* in the service directory */
/* "aa-bb-cc-dd-ee-ff" + NUL */
#define SVC_DNSMASQ_HOST_FILE_NAME_MAX 18
/* "aa:bb:cc:dd:ee:ff,255.255.255.255,<label>\n" + NUL */
#define SVC_DNSMASQ_HOST_LINE_MAX (17 + 1 + 15 + 1 + DHCP_HOSTNAME_MAX + 2)

extern const struct svc_ops svc_dnsmasq_ops;

/* DHCP settings that are enabled, and a LAN interface present. */
bool svc_dnsmasq_enabled(const struct svc_input *in);

/* dnsmasq.conf. -EINVAL when the service is not enabled or the settings no
 * longer fit the LAN (its subnet or the host's address changed since they
 * were validated), -E2BIG when `out` is full. */
int svc_dnsmasq_render(const struct svc_input *in, struct buf *out);

/* The whole content of a reservation's hosts.d file, one newline-ended
 * line: "aa:bb:cc:dd:ee:ff,192.168.77.50,printer\n", or without
 * ",hostname" when it has none. -EINVAL for an invalid MAC or hostname,
 * -ENOBUFS if `outlen` is too small. */
int svc_dnsmasq_host_line(const struct dhcp_reservation *r, char *out, size_t outlen);

/* The reservation's file name in hosts.d: "aa-bb-cc-dd-ee-ff". -ENOBUFS if
 * `outlen` is too small. */
int svc_dnsmasq_host_file_name(const uint8_t mac[6], char *out, size_t outlen);
