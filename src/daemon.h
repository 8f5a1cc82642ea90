/* The one context of picd, passed explicitly to everything that needs
 * more than its arguments. The configuration is a snapshot replaced whole
 * after each committed change, never edited in place by a handler. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "model/config.h"

struct loop;
struct store;
struct throttle;
struct http_server;

struct daemon_options {
	const char *state_dir;
	const char *listen_addr; /* "host:port" */
	const char *socket_path;
	int64_t session_ttl_s;
	bool foreground;
};

struct daemon {
	struct daemon_options opt;
	struct loop *loop;
	struct store *store;
	struct throttle *login_throttle;
	struct http_server *http;  /* TCP listener */
	struct http_server *local; /* control socket */

	struct cell_config config; /* applied configuration */
	uint64_t config_rev;

	uint64_t started_ms; /* monotonic */
	int64_t admin_user_id;
};

/* Reloads the configuration snapshot from the store after a commit. */
int daemon_reload_config(struct daemon *d);

/* Creates the admin account on first start: returns 1 and writes its new
 * random password into `ret_password` (to be shown once), or 0 when it
 * already exists (and writes ""). Sets d->admin_user_id either way. */
#include <stddef.h>
int daemon_bootstrap_admin(struct daemon *d, char *ret_password, size_t len);
