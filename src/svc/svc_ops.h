/* What PIC knows about each managed daemon, one `struct svc_ops` per
 * daemon in one table (svc_table.c). Everything here is static
 * description or a pure function; running the daemon is the
 * supervisor's job (svc.c), changing its config the apply engine's. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "model/config.h"
#include "model/ntp.h"
#include "net/netplan.h"

/* Everything a renderer may read: a snapshot of the store. */
struct svc_input {
	const struct cell_config *cell;
	const struct netplan_service *net;
	const struct ntp_settings *ntp;
	/* Test-only fault injection (picd --test-faults); NULL normally. */
	const char *faults;
};

enum svc_reload {
	SVC_RELOAD_RESTART, /* the daemon has no way to re-read its config */
	SVC_RELOAD_SIGHUP,
};

struct svc_ops {
	const char *name;        /* the address-plan name: "ntp" */
	const char *daemon;      /* "chronyd" */
	const char *package;     /* Debian package providing `binary` */
	const char *binary;
	const char *config_file; /* in the service directory */
	const char *user;        /* unprivileged user the daemon drops to, or NULL */
	/* argv, with paths under SVC_ROOT; the check runs on config_file".new" */
	const char *const *run_argv;
	const char *const *check_argv;
	enum svc_reload reload;
	int (*render)(const struct svc_input *in, struct buf *out);
	/* Health, in two steps so the loop never waits: probe_send asks the
	 * daemon on the wire and returns a socket; when it is readable (or
	 * the time is up) probe_check reads the answer: 0, or -errno with a
	 * reason in `err`. */
	int (*probe_send)(const struct netplan_service *net, int *ret_fd, char *err, size_t errlen);
	int (*probe_check)(int fd, char *err, size_t errlen);
};

extern const struct svc_ops *const svc_table[];
extern const size_t svc_table_len;

const struct svc_ops *svc_ops_find(const char *name);
