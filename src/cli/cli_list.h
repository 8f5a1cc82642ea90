/* The shape every listing command shares: call the API, print the answer
 * as is with --json, else find the array the human output is made from
 * and say so plainly when it is empty. */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "cli_cmd.h"
#include "cli_http.h"
#include "cli_table.h"

/* Returns an exit code. *ret_items is the array member `key` of the
 * answer when the caller still has rows to print, and NULL when nothing
 * is left to do (JSON printed, or `empty` printed for an empty list). */
int cli_list_fetch(const struct cli_ctx *ctx, const struct cli_request *req, const char *key,
		   const char *empty, struct cli_response *resp, const json_t **ret_items);

/* The same for a command that answers with one object: calls the API,
 * requires an object, prints it as is with --json. *ret_done is true
 * when nothing is left to print. Returns an exit code. */
int cli_object_fetch(const struct cli_ctx *ctx, const struct cli_request *req, struct cli_response *resp,
		     bool *ret_done);

/* A listing command whole: the request, the array member `key`, what to
 * print when it is empty, the table's column titles and a row per item;
 * `after` (may be NULL) prints notes below the table. */
struct cli_listing {
	struct cli_request req;
	const char *key;
	const char *empty;
	const char *what; /* "the services", for a local error */
	const char *const *columns;
	size_t n_columns;
	int (*add_row)(struct cli_table *t, const json_t *item);
	void (*after)(const json_t *items);
};

/* `items` (one object, or an array of them) as a table of l's columns
 * (l->req and l->key unused); an exit code. */
int cli_list_print_items(const struct cli_listing *l, const json_t *items);
/* Fetches and prints the list (JSON as is with --json); an exit code. */
int cli_list_print(const struct cli_ctx *ctx, const struct cli_listing *l);

/* One object the API answered with, as a one-row table of l's columns
 * and add_row (l's request and key unused), or as is with --json. An
 * exit code. */
int cli_object_print(const struct cli_ctx *ctx, const json_t *obj, const struct cli_listing *l);
