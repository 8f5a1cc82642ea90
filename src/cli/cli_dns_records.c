/* `pic dns list|add|rm|import`: the records of the cell zone.
 *
 * A record shows as ID NAME TYPE TTL VALUE, where VALUE puts the numbers
 * its type carries in front of the value, in zone-file order: MX
 * "10 mail.example.org", SRV "0 5 5060 sip.example.org", CAA
 * `0 issue "letsencrypt.org"`. Listing asks for one page of 100 unless
 * --all pages through everything. Deleting takes ids, or a name and a
 * type (and a value) that must pick out exactly one record: a lookup
 * that finds none or several deletes nothing, and so does a list of ids
 * of which one names no record. */
#include "cli_dns.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_error.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_url.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/strparse.h"

#include "common/banned.h"

#define PAGE_DEFAULT 100
#define PAGE_ALL 1000                   /* picd's largest page */
#define IMPORT_MAX (4 * 1024 * 1024)    /* picd's body limit for a batch */
#define READ_CHUNK 65536

/* --- options --------------------------------------------------------- */

struct opt {
	const char *name;    /* "--ttl" */
	const char **value;  /* where the value goes; NULL for a flag */
	bool *flag;          /* set by a flag */
};

/* Takes the options in `opts` out of argv ("--ttl 300" or "--ttl=300"),
 * leaving the other words, in order, in pos[0..*ret_npos). Any other word
 * starting with "--" is an unknown option. Returns 0 or the exit status. */
static int split_options(const char *cmd, int argc, char **argv, const struct opt *opts,
			 size_t nopts, char **pos, int *ret_npos)
{
	int npos = 0;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *value = NULL;
		const struct opt *o = NULL;

		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			pos[npos++] = argv[i];
			continue;
		}
		for (size_t k = 0; k < nopts && !o; k++) {
			size_t n = strlen(opts[k].name);
			if (strcmp(arg, opts[k].name) == 0) {
				o = &opts[k];
			} else if (opts[k].value && strncmp(arg, opts[k].name, n) == 0 && arg[n] == '=') {
				o = &opts[k];
				value = arg + n + 1;
			}
		}
		if (!o)
			return cli_error_usage("unknown option '%s'; see 'pic dns %s --help'", arg, cmd);
		if (!o->value) {
			if (*o->flag)
				return cli_error_usage("%s is given twice", o->name);
			*o->flag = true;
			continue;
		}
		if (!value) {
			if (i + 1 >= argc)
				return cli_error_usage("%s needs a value", o->name);
			value = argv[++i];
		}
		if (*o->value)
			return cli_error_usage("%s is given twice", o->name);
		*o->value = value;
	}
	*ret_npos = npos;
	return 0;
}

/* --- a record as text ------------------------------------------------ */

static const char *str_of(const json_t *rec, const char *key)
{
	const char *s = json_string_value(json_object_get(rec, key));
	return s ? s : "?";
}

static json_int_t int_of(const json_t *rec, const char *key)
{
	return json_integer_value(json_object_get(rec, key));
}

/* The VALUE column. */
static int record_value(const json_t *rec, char **ret_text)
{
	const char *type = str_of(rec, "type"), *value = str_of(rec, "value");
	char *s = NULL;
	int n;

	if (strcmp(type, "MX") == 0)
		n = asprintf(&s, "%" JSON_INTEGER_FORMAT " %s", int_of(rec, "priority"), value);
	else if (strcmp(type, "SRV") == 0)
		n = asprintf(&s, "%" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT
			     " %" JSON_INTEGER_FORMAT " %s", int_of(rec, "priority"),
			     int_of(rec, "weight"), int_of(rec, "port"), value);
	else if (strcmp(type, "CAA") == 0)
		n = asprintf(&s, "%" JSON_INTEGER_FORMAT " %s \"%s\"", int_of(rec, "flags"),
			     str_of(rec, "tag"), value);
	else
		n = (s = strdup(value)) ? 0 : -1;
	if (n < 0)
		return -ENOMEM;
	*ret_text = s;
	return 0;
}

/* "12: www.mycell.cell A 192.0.2.1" */
static int record_line(const json_t *rec, char **ret_text)
{
	_cleanup_free_ char *value = NULL;
	int r = record_value(rec, &value);
	if (r < 0)
		return r;
	if (asprintf(ret_text, "%" JSON_INTEGER_FORMAT ": %s %s %s", int_of(rec, "id"),
		     str_of(rec, "name"), str_of(rec, "type"), value) < 0)
		return -ENOMEM;
	return 0;
}

static int add_record_row(struct cli_table *t, const json_t *rec)
{
	_cleanup_free_ char *id = NULL, *ttl = NULL, *value = NULL;
	int r = cli_json_text(json_object_get(rec, "id"), "-", &id);
	if (r == 0)
		r = cli_json_text(json_object_get(rec, "ttl"), "-", &ttl);
	if (r == 0)
		r = record_value(rec, &value);
	if (r < 0)
		return r;
	return cli_table_add(t, id, str_of(rec, "name"), str_of(rec, "type"), ttl, value);
}

static int records_table(const json_t *records, struct cli_table **ret_table)
{
	_cleanup_table_ struct cli_table *t = NULL;
	const json_t *rec;
	size_t i;

	int r = cli_table_new(5, &t);
	if (r == 0)
		r = cli_table_add(t, "ID", "NAME", "TYPE", "TTL", "VALUE");
	json_array_foreach(records, i, rec)
		if (r == 0)
			r = add_record_row(t, rec);
	if (r < 0)
		return r;
	*ret_table = TAKE_PTR(t);
	return 0;
}

/* --- fetching -------------------------------------------------------- */

struct record_query {
	const char *name;    /* filters as the user gave them; NULL for none */
	const char *type;
	bool all;            /* every page, not just the first */
};

/* "&name=...&type=..." (possibly empty) for the query string. */
static int filter_query(const struct record_query *q, char **ret_text)
{
	struct buf b;
	int r;

	buf_init(&b, CLI_URL_PATH_MAX);
	r = buf_append(&b, "", 0);
	if (r == 0 && q->name) {
		r = buf_printf(&b, "&name=");
		if (r == 0)
			r = cli_url_escape(&b, q->name);
	}
	if (r == 0 && q->type) {
		r = buf_printf(&b, "&type=");
		if (r == 0)
			r = cli_url_escape(&b, q->type);
	}
	if (r < 0) {
		buf_free(&b);
		return r == -E2BIG ? -ENAMETOOLONG : r;
	}
	*ret_text = buf_steal(&b);
	return 0;
}

/* One page. A page of long TXT records can outgrow the answer size pic
 * accepts; it is then asked for again in pages half as long (*limit is
 * what was used). Returns 0 or the exit status. */
static int fetch_page(const struct cli_ctx *ctx, const char *filter, size_t offset,
		      uint32_t *limit, struct cli_response *ret_resp)
{
	for (;;) {
		_cleanup_response_ struct cli_response resp = { 0 };
		char path[CLI_URL_PATH_MAX + 64];

		int n = snprintf(path, sizeof(path), "/api/dns/records?offset=%zu&limit=%" PRIu32 "%s",
				 offset, *limit, filter);
		if (n < 0 || (size_t)n >= sizeof(path))
			return cli_error_local(-ENAMETOOLONG, "building the request");
		int r = cli_http_request(ctx, &(struct cli_request){ .method = "GET", .path = path },
					 &resp);
		if (r == -EFBIG && *limit > 1) {
			*limit /= 2;
			continue;
		}
		if (r < 0)
			return cli_error_transport(ctx, r);
		if (resp.status < 200 || resp.status > 299)
			return cli_error_refused(ctx, resp.status, resp.body);
		*ret_resp = resp;
		resp = (struct cli_response){ 0 };
		return 0;
	}
}

/* The records `q` asks for, as picd's answer for the first page with the
 * records of any further pages appended (and "limit" then the count
 * fetched). Returns 0 with it in *ret_doc, else the exit status. */
static int fetch_records(const struct cli_ctx *ctx, const struct record_query *q,
			 json_t **ret_doc)
{
	_cleanup_free_ char *filter = NULL;
	_cleanup_json_ json_t *doc = NULL;
	uint32_t limit = q->all ? PAGE_ALL : PAGE_DEFAULT;
	size_t offset = 0;

	int r = filter_query(q, &filter);
	if (r < 0)
		return cli_error_local(r, "building the request");
	for (;;) {
		_cleanup_response_ struct cli_response resp = { 0 };

		r = fetch_page(ctx, filter, offset, &limit, &resp);
		if (r != 0)
			return r;
		json_t *page = json_object_get(resp.body, "records");
		const json_t *total = json_object_get(resp.body, "total");
		if (!json_is_array(page) || !json_is_integer(total))
			return cli_error_transport(ctx, -EBADMSG);
		size_t got = json_array_size(page);
		if (!doc)
			doc = json_incref(resp.body);
		else if (json_array_extend(json_object_get(doc, "records"), page) < 0)
			return cli_error_local(-ENOMEM, "reading the records");
		offset += got;
		/* Records added meanwhile may move what a page holds; the
		 * total bounds the loop either way. */
		if (!q->all || got == 0 || json_integer_value(total) < 0 ||
		    offset >= (size_t)json_integer_value(total))
			break;
	}
	if (q->all && json_object_set_new(doc, "limit", json_integer((json_int_t)offset)) < 0)
		return cli_error_local(-ENOMEM, "reading the records");
	*ret_doc = TAKE_PTR(doc);
	return 0;
}

/* --- list ------------------------------------------------------------ */

int cli_dns_list_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	struct record_query q = { 0 };
	const struct opt opts[] = {
		{ .name = "--name", .value = &q.name },
		{ .name = "--type", .value = &q.type },
		{ .name = "--all", .flag = &q.all },
	};
	_cleanup_free_ char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	_cleanup_table_ struct cli_table *t = NULL;
	_cleanup_json_ json_t *doc = NULL;
	int npos = 0;

	if (!pos)
		return cli_error_local(-ENOMEM, "starting");
	int r = split_options("list", argc, argv, opts, ARRAY_SIZE(opts), pos, &npos);
	if (r != 0)
		return r;
	if (npos > 0)
		return cli_error_usage("unexpected argument '%s'; see 'pic dns list --help'", pos[0]);

	r = fetch_records(ctx, &q, &doc);
	if (r != 0)
		return r;
	if (ctx->json) {
		cli_json_print(doc);
		return CLI_EXIT_OK;
	}
	const json_t *records = json_object_get(doc, "records");
	json_int_t total = json_integer_value(json_object_get(doc, "total"));
	size_t shown = json_array_size(records);
	if (shown == 0) {
		printf("%s\n", q.name || q.type ? "no matching records" : "no records");
		return CLI_EXIT_OK;
	}
	r = records_table(records, &t);
	if (r < 0)
		return cli_error_local(r, "printing the records");
	cli_table_print(t, stdout, "");
	if (total > (json_int_t)shown)
		printf("%" JSON_INTEGER_FORMAT " more; --all lists every record\n",
		       total - (json_int_t)shown);
	return CLI_EXIT_OK;
}

/* --- add ------------------------------------------------------------- */

/* Sets `key` to the whole number in `text` (from option `opt`), unless
 * text is NULL. Returns 0 or the exit status. */
static int set_integer(json_t *body, const char *key, const char *opt, const char *text)
{
	uint64_t v;

	if (!text)
		return 0;
	if (parse_u64(text, 0, INT64_MAX, &v) < 0)
		return cli_error_usage("%s must be a whole number, not '%s'", opt, text);
	if (json_object_set_new(body, key, json_integer((json_int_t)v)) < 0)
		return cli_error_local(-ENOMEM, "building the request");
	return 0;
}

static int set_string(json_t *body, const char *key, const char *text)
{
	if (!text)
		return 0;
	json_t *v = json_string(text);
	if (!v)
		return cli_error_usage("%s '%s' is not valid UTF-8", key, text);
	if (json_object_set_new(body, key, v) < 0)
		return cli_error_local(-ENOMEM, "building the request");
	return 0;
}

int cli_dns_add_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	const char *ttl = NULL, *priority = NULL, *weight = NULL, *port = NULL, *flags = NULL,
		   *tag = NULL;
	const struct opt opts[] = {
		{ .name = "--ttl", .value = &ttl },
		{ .name = "--priority", .value = &priority },
		{ .name = "--weight", .value = &weight },
		{ .name = "--port", .value = &port },
		{ .name = "--flags", .value = &flags },
		{ .name = "--tag", .value = &tag },
	};
	_cleanup_free_ char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *body = json_object();
	_cleanup_free_ char *line = NULL;
	int npos = 0;

	if (!pos || !body)
		return cli_error_local(-ENOMEM, "starting");
	int r = split_options("add", argc, argv, opts, ARRAY_SIZE(opts), pos, &npos);
	if (r != 0)
		return r;
	if (npos != 3)
		return cli_error_usage("'pic dns add' takes NAME TYPE VALUE, not %d words; quote a "
				       "value with spaces", npos);
	r = set_string(body, "name", pos[0]);
	if (r == 0)
		r = set_string(body, "type", pos[1]);
	if (r == 0)
		r = set_string(body, "value", pos[2]);
	if (r == 0)
		r = set_integer(body, "ttl", "--ttl", ttl);
	if (r == 0)
		r = set_integer(body, "priority", "--priority", priority);
	if (r == 0)
		r = set_integer(body, "weight", "--weight", weight);
	if (r == 0)
		r = set_integer(body, "port", "--port", port);
	if (r == 0)
		r = set_integer(body, "flags", "--flags", flags);
	if (r == 0)
		r = set_string(body, "tag", tag);
	if (r != 0)
		return r;

	bool done;
	r = cli_object_fetch(ctx, &(struct cli_request){ .method = "POST", .path = "/api/dns/records", .json = body },
			     &resp, &done);
	if (r != 0 || done)
		return r;
	r = record_line(resp.body, &line);
	if (r < 0)
		return cli_error_local(r, "printing the record");
	printf("added %s\n", line);
	return CLI_EXIT_OK;
}

/* --- rm -------------------------------------------------------------- */

static int record_path(json_int_t id, char *out, size_t size)
{
	int n = snprintf(out, size, "/api/dns/records/%" JSON_INTEGER_FORMAT, id);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* DELETE one record known from an answer, then "deleted 12: ...". */
static int delete_record(const struct cli_ctx *ctx, const json_t *rec)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_free_ char *line = NULL;
	char path[64];

	int r = record_path(int_of(rec, "id"), path, sizeof(path));
	if (r < 0)
		return cli_error_local(r, "building the request");
	r = cli_http_call(ctx, &(struct cli_request){ .method = "DELETE", .path = path }, &resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		if (resp.body)
			cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	r = record_line(rec, &line);
	if (r < 0)
		return cli_error_local(r, "printing the record");
	printf("deleted %s\n", line);
	return CLI_EXIT_OK;
}

/* GETs record `id`: 0 with it in *ret_rec (a new reference), else the
 * exit status. What it holds is what `rm` says it deleted. */
static int fetch_record(const struct cli_ctx *ctx, uint64_t id, json_t **ret_rec)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	char path[64];

	int r = record_path((json_int_t)id, path, sizeof(path));
	if (r < 0)
		return cli_error_local(r, "building the request");
	r = cli_http_call(ctx, &(struct cli_request){ .method = "GET", .path = path }, &resp);
	if (r != 0)
		return r;
	if (!json_is_object(resp.body) || !json_is_integer(json_object_get(resp.body, "id")))
		return cli_error_transport(ctx, -EBADMSG);
	*ret_rec = json_incref(resp.body);
	return 0;
}

static bool all_ids(int argc, char **argv)
{
	uint64_t id;

	for (int i = 0; i < argc; i++)
		if (parse_u64(argv[i], 1, INT64_MAX, &id) < 0)
			return false;
	return true;
}

/* Equal as host names: case aside, and one trailing dot aside. */
static bool same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Whether `want` is the record's VALUE column or its bare value. TXT
 * text is compared exactly; other values as names (addresses in their
 * canonical form compare the same way). */
static bool value_matches(const json_t *rec, const char *want)
{
	_cleanup_free_ char *shown = NULL;
	const char *value = str_of(rec, "value");
	bool exact = strcmp(str_of(rec, "type"), "TXT") == 0;

	if (record_value(rec, &shown) < 0)
		return false;
	if (exact)
		return strcmp(value, want) == 0 || strcmp(shown, want) == 0;
	return same_name(value, want) || same_name(shown, want);
}

/* Refuses the way picd refuses, so --json shows the same shape; the
 * matching records, if any, go along in "records". */
static int refuse(const struct cli_ctx *ctx, long status, const char *code, const char *field,
		  const char *message, const json_t *records)
{
	_cleanup_json_ json_t *err = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", code,
					       "message", message, "field", field);
	if (!err)
		return cli_error_local(-ENOMEM, "reporting the error");
	if (records)
		json_object_set(json_object_get(err, "error"), "records", (json_t *)records);
	return cli_error_refused(ctx, status, err);
}

static int delete_by_lookup(const struct cli_ctx *ctx, const char *name, const char *type,
			    const char *value)
{
	const struct record_query q = { .name = name, .type = type, .all = true };
	_cleanup_json_ json_t *doc = NULL, *matches = json_array();
	_cleanup_table_ struct cli_table *t = NULL;
	_cleanup_free_ char *message = NULL;
	const json_t *rec;
	size_t i;

	if (!matches)
		return cli_error_local(-ENOMEM, "starting");
	int r = fetch_records(ctx, &q, &doc);
	if (r != 0)
		return r;
	const json_t *records = json_object_get(doc, "records");
	json_array_foreach(records, i, rec) {
		if (value && !value_matches(rec, value))
			continue;
		if (json_array_append(matches, (json_t *)rec) < 0)
			return cli_error_local(-ENOMEM, "reading the records");
	}

	size_t n = json_array_size(matches);
	if (n == 1)
		return delete_record(ctx, json_array_get(matches, 0));
	if (n == 0) {
		if (asprintf(&message, "no %s record named '%s'%s%s%s; nothing deleted", type, name,
			     value ? " with value '" : "", value ? value : "", value ? "'" : "") < 0)
			return cli_error_local(-ENOMEM, "reporting the error");
		return refuse(ctx, 404, "not_found", value && json_array_size(records) ? "value" : "name",
			      message, NULL);
	}
	if (asprintf(&message, "%zu %s records named '%s'%s; nothing deleted: give %s, or "
		     "'pic dns rm ID'", n, type, name, value ? " match that value" : "",
		     value ? "the whole VALUE as listed" : "VALUE") < 0)
		return cli_error_local(-ENOMEM, "reporting the error");
	r = refuse(ctx, 409, "ambiguous", "value", message, matches);
	if (!ctx->json && records_table(matches, &t) == 0)
		cli_table_print(t, stderr, "  ");
	return r;
}

/* `rm ID...`: every id is looked up before any record is deleted, so an
 * id that names no record refuses the command with nothing deleted (each
 * such id is reported); an id given twice is deleted once. Only a record
 * that goes away meanwhile (another client) can stop it midway; what was
 * deleted by then has been printed. */
static int delete_by_ids(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_json_ json_t *found = json_array();
	int status = CLI_EXIT_OK;

	if (!found)
		return cli_error_local(-ENOMEM, "starting");
	for (int i = 0; i < argc; i++) {
		_cleanup_json_ json_t *rec = NULL;
		uint64_t id;
		bool seen = false;
		if (parse_u64(argv[i], 1, INT64_MAX, &id) < 0)
			return cli_error_usage("'%s' is not a record id", argv[i]);
		for (int j = 0; j < i && !seen; j++) {
			uint64_t other;
			seen = parse_u64(argv[j], 1, INT64_MAX, &other) == 0 && other == id;
		}
		if (seen)
			continue;
		int r = fetch_record(ctx, id, &rec);
		if (r == CLI_EXIT_UNREACHABLE)
			return r;
		if (r != CLI_EXIT_OK) {
			if (status == CLI_EXIT_OK)
				status = r;
			continue;
		}
		if (json_array_append(found, rec) < 0)
			return cli_error_local(-ENOMEM, "reading the records");
	}
	if (status != CLI_EXIT_OK) {
		fprintf(stderr, "pic: nothing deleted: every ID must name a record\n");
		return status;
	}
	size_t i;
	const json_t *rec;
	json_array_foreach(found, i, rec) {
		int r = delete_record(ctx, rec);
		if (r != CLI_EXIT_OK)
			return r;
	}
	return CLI_EXIT_OK;
}

int cli_dns_rm_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	if (!all_ids(argc, argv)) {
		if (argc < 2 || argc > 3)
			return cli_error_usage("'%s' is not a record id; give IDs, or NAME TYPE "
					       "[VALUE]", argv[0]);
		return delete_by_lookup(ctx, argv[0], argv[1], argc == 3 ? argv[2] : NULL);
	}
	return delete_by_ids(ctx, argc, argv);
}

/* --- import ---------------------------------------------------------- */

/* The whole of `path` ("-": stdin), at most IMPORT_MAX bytes. Returns 0
 * or the exit status. */
static int read_input(const char *path, struct buf *out)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "re");
	char chunk[READ_CHUNK];
	size_t n;
	int r = 0;

	if (!f)
		return cli_error_usage("cannot open '%s': %s", path, strerror(errno));
	while (r == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		r = buf_append(out, chunk, n);
	if (r == 0 && ferror(f))
		r = -EIO;
	if (!is_stdin)
		fclose(f);
	if (r == -E2BIG)
		return cli_error_usage("'%s' is larger than %d MiB", is_stdin ? "stdin" : path,
				       IMPORT_MAX / (1024 * 1024));
	if (r < 0)
		return cli_error_usage("cannot read '%s': %s", is_stdin ? "stdin" : path,
				       strerror(-r));
	return 0;
}

/* The list of records in the document: a list, or an answer of
 * 'pic --json dns list' (its "records"), ids dropped. NULL if neither. */
static json_t *import_list(json_t *doc)
{
	json_t *list = json_is_array(doc) ? doc : json_object_get(doc, "records");
	json_t *rec;
	size_t i;

	if (!json_is_array(list))
		return NULL;
	json_array_foreach(list, i, rec)
		if (json_is_object(rec))
			json_object_del(rec, "id");
	return list;
}

int cli_dns_import_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	const char *shown = strcmp(argv[0], "-") == 0 ? "stdin" : argv[0];
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *doc = NULL, *body = NULL;
	json_error_t err;
	struct buf text;

	buf_init(&text, IMPORT_MAX);
	int r = read_input(argv[0], &text);
	if (r == 0) {
		doc = json_loadb(text.data ? text.data : "", text.len, 0, &err);
		if (!doc)
			r = cli_error_usage("%s: line %d: %s", shown, err.line, err.text);
	}
	buf_free(&text);
	if (r != 0)
		return r;
	json_t *list = import_list(doc);
	if (!list)
		return cli_error_usage("%s must hold a JSON list of records", shown);
	body = json_pack("{s:O}", "records", list);
	if (!body)
		return cli_error_local(-ENOMEM, "building the request");

	r = cli_http_call(ctx, &(struct cli_request){ .method = "POST",
						      .path = "/api/dns/records/batch",
						      .json = body },
			  &resp);
	if (r != 0)
		return r;
	const json_t *created = json_object_get(resp.body, "created");
	if (!json_is_integer(created))
		return cli_error_transport(ctx, -EBADMSG);
	if (ctx->json) {
		cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	printf("added %" JSON_INTEGER_FORMAT " records\n", json_integer_value(created));
	return CLI_EXIT_OK;
}
