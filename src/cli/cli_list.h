/* The shape every listing command shares: call the API, print the answer
 * as is with --json, else find the array the human output is made from
 * and say so plainly when it is empty. */
#pragma once

#include <jansson.h>

#include "cli_cmd.h"
#include "cli_http.h"

/* Returns an exit code. *ret_items is the array member `key` of the
 * answer when the caller still has rows to print, and NULL when nothing
 * is left to do (JSON printed, or `empty` printed for an empty list). */
int cli_list_fetch(const struct cli_ctx *ctx, const struct cli_request *req, const char *key,
		   const char *empty, struct cli_response *resp, const json_t **ret_items);
