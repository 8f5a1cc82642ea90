/* `pic ca show|export|list|issue|revoke|crl` (see cli_ca.h); `replace` is
 * cli_ca_replace.c.
 *
 * The root and the CRL come as PEM text, not JSON. `export` and `crl`
 * write that text as it came, to FILE (0644, replaced whole: both are
 * public, and a CRL is meant to be fetched again) or to stdout, with or
 * without --json. `show` prints it for a person together with what pic
 * can say about it without a certificate parser: its SHA-256 fingerprint
 * (of the DER, as `openssl x509 -fingerprint -sha256` and browsers show
 * it), where devices on the cell fetch it, and picd's warning when the
 * root no longer covers the cell's names (GET /api/vault/ca); with --json
 * it prints {"cert","sha256","url","matches_config","warning"?} instead,
 * url null when the zone is unknown.
 *
 * `issue` gets the key once. Without --cert/--key both PEMs go to stdout,
 * the certificate first. With them the files are made ready before picd
 * is asked (key 0600, certificate 0644, an existing file refused unless
 * --force), so that a path that cannot be written costs no certificate;
 * --json then prints the answer without its key. The key's copy in the
 * parsed answer is wiped once used. */
#include "cli_ca.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_config.h"
#include "cli_error.h"
#include "cli_file.h"
#include "cli_http.h"
#include "cli_json.h"
#include "cli_list.h"
#include "cli_table.h"
#include "cli_time.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/strparse.h"

#include "common/banned.h"

#define PEM_TYPE "application/x-pem-file"
#define CERT_LABEL "CERTIFICATE"
#define CRL_LABEL "X509 CRL"
#define SERIAL_MAX 40 /* hex digits: X.509 serials are at most 20 bytes */
#define FINGERPRINT_TEXT_MAX (crypto_hash_sha256_BYTES * 3)
#define DAYS_MAX INT32_MAX /* what picd accepts is picd's to say */

static int show_run(const struct cli_ctx *ctx, int argc, char **argv);
static int export_run(const struct cli_ctx *ctx, int argc, char **argv);
static int list_run(const struct cli_ctx *ctx, int argc, char **argv);
static int issue_run(const struct cli_ctx *ctx, int argc, char **argv);
static int revoke_run(const struct cli_ctx *ctx, int argc, char **argv);
static int crl_run(const struct cli_ctx *ctx, int argc, char **argv);

const struct cli_cmd cli_ca_cmds[] = {
	{ .name = "show", .args = "",
	  .help = "print the cell's root certificate, its SHA-256 fingerprint and where devices "
		  "fetch it",
	  .run = show_run, .min_args = 0, .max_args = 0 },
	{ .name = "export", .args = "[FILE]",
	  .help = "write the root certificate (PEM) to FILE, or to stdout",
	  .run = export_run, .min_args = 0, .max_args = 1 },
	{ .name = "list", .args = "",
	  .help = "list the certificates the cell issued",
	  .run = list_run, .min_args = 0, .max_args = 0 },
	{ .name = "issue", .args = "NAME... [--ip IP]... [--days N] [--cert FILE --key FILE [--force]]",
	  .help = "issue a certificate for names in the cell zone; its key is shown only this once",
	  .run = issue_run, .min_args = 1, .max_args = CLI_CMD_ANY },
	{ .name = "revoke", .args = "SERIAL",
	  .help = "revoke an issued certificate (it then appears in the CRL)",
	  .run = revoke_run, .min_args = 1, .max_args = 1 },
	{ .name = "crl", .args = "[FILE]",
	  .help = "write the certificate revocation list (PEM) to FILE, or to stdout",
	  .run = crl_run, .min_args = 0, .max_args = 1 },
	{ .name = "replace", .args = "[--force]",
	  .help = "make a new root for the current zone and networks (devices must trust it again)",
	  .run = cli_ca_replace_run, .min_args = 0, .max_args = 1 },
	{ 0 },
};

/* --- PEM documents --------------------------------------------------- */

/* Whether `text` is what picd sends for `label`: it starts with the
 * BEGIN line, has the END line, and holds no NUL. */
static bool pem_ok(const char *text, size_t len, const char *label)
{
	char begin[64], end[64];
	int nb = snprintf(begin, sizeof(begin), "-----BEGIN %s-----\n", label);
	int ne = snprintf(end, sizeof(end), "\n-----END %s-----", label);

	if (nb < 0 || (size_t)nb >= sizeof(begin) || ne < 0 || (size_t)ne >= sizeof(end))
		return false;
	return strlen(text) == len && strncmp(text, begin, (size_t)nb) == 0 && strstr(text, end);
}

/* GETs the PEM document at `path`. Returns 0 with its text in *ret_resp,
 * else the exit status. */
static int fetch_pem(const struct cli_ctx *ctx, const char *path, const char *label,
		     struct cli_response *ret_resp)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "GET", .path = path,
							  .accept = PEM_TYPE, .text = true },
			      &resp);
	if (r != 0)
		return r;
	if (!pem_ok(resp.text, resp.text_len, label))
		return cli_error_transport(ctx, -EBADMSG);
	*ret_resp = resp;
	resp = (struct cli_response){ 0 };
	return 0;
}

static int file_error(int r, const char *file)
{
	if (r == -EEXIST)
		return cli_error_usage("'%s' exists; pass --force to replace it", file);
	return cli_error_usage("cannot write '%s': %s", file, strerror(-r));
}

/* PEM text on stdout, ending in a newline. */
static void print_pem(const char *pem)
{
	size_t len = strlen(pem);
	fputs(pem, stdout);
	if (len == 0 || pem[len - 1] != '\n')
		fputc('\n', stdout);
}

/* `export` and `crl`: the document at `path` into `file` (replaced whole,
 * 0644) or, without one or for "-", onto stdout. The file is made ready
 * first, so a path that cannot be written is reported before picd is
 * asked, and nothing is left behind when picd cannot answer. */
static int save_pem(const struct cli_ctx *ctx, const char *path, const char *label,
		    const char *file, const char *what)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_file_ struct cli_file out = CLI_FILE_INIT;
	bool to_stdout = !file || strcmp(file, "-") == 0;
	int r;

	if (!to_stdout) {
		if (!*file)
			return cli_error_usage("the file name is empty");
		r = cli_file_open(&out, file, 0644, true);
		if (r < 0)
			return file_error(r, file);
	}
	r = fetch_pem(ctx, path, label, &resp);
	if (r != 0)
		return r;
	if (to_stdout) {
		fwrite(resp.text, 1, resp.text_len, stdout);
		return CLI_EXIT_OK;
	}
	r = cli_file_commit(&out, resp.text, resp.text_len);
	if (r < 0)
		return file_error(r, file);
	if (!ctx->json)
		printf("wrote %s to %s\n", what, file);
	return CLI_EXIT_OK;
}

static int export_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return save_pem(ctx, "/api/vault/ca.crt", CERT_LABEL, argc ? argv[0] : NULL,
			"the root certificate");
}

static int crl_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	return save_pem(ctx, "/api/vault/crl", CRL_LABEL, argc ? argv[0] : NULL,
			"the revocation list");
}

/* --- show ------------------------------------------------------------ */

/* "AB:CD:..." of the SHA-256 of the DER inside a PEM checked by pem_ok().
 * -EBADMSG when its body is not base64. */
static int fingerprint(const char *pem, char out[FINGERPRINT_TEXT_MAX])
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char hash[crypto_hash_sha256_BYTES];
	const char *body = strchr(pem, '\n'), *end = strstr(pem, "\n-----END ");
	size_t der_len = 0;

	if (!body || !end || end < body)
		return -EBADMSG;
	size_t b64_len = (size_t)(end - body);
	_cleanup_free_ unsigned char *der = malloc(b64_len / 4 * 3 + 3);
	if (!der)
		return -ENOMEM;
	if (sodium_base642bin(der, b64_len / 4 * 3 + 3, body, b64_len, " \t\r\n", &der_len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || der_len == 0)
		return -EBADMSG;
	crypto_hash_sha256(hash, der, der_len);

	char *o = out;
	for (size_t i = 0; i < sizeof(hash); i++) {
		*o++ = hex[hash[i] >> 4];
		*o++ = hex[hash[i] & 15];
		*o++ = i + 1 < sizeof(hash) ? ':' : '\0';
	}
	return 0;
}

/* "http://<zone>/ca.crt", where the web interface serves the root over
 * plain HTTP (devices fetch it there before they trust the cell); NULL in
 * *ret_url when the configuration names no zone. */
static int ca_url(const json_t *doc, char **ret_url)
{
	const char *name = json_string_value(json_object_get(doc, "cell_name"));
	const char *domain = json_string_value(json_object_get(doc, "domain"));
	char *url = NULL;

	if (name && *name && domain && *domain) {
		if (asprintf(&url, "http://%s.%s/ca.crt", name, domain) < 0)
			return -ENOMEM;
		for (char *p = url; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	*ret_url = url;
	return 0;
}

/* GET /api/vault/ca: the root's state. Returns 0 with an object body
 * holding a boolean "matches_config" in *ret_resp, else the exit status. */
static int fetch_root(const struct cli_ctx *ctx, struct cli_response *ret_resp)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "GET", .path = "/api/vault/ca" }, &resp);
	if (r != 0)
		return r;
	if (!json_is_object(resp.body) || !json_is_boolean(json_object_get(resp.body, "matches_config")))
		return cli_error_transport(ctx, -EBADMSG);
	*ret_resp = resp;
	resp = (struct cli_response){ 0 };
	return 0;
}

static int show_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 }, config = { 0 }, root = { 0 };
	_cleanup_table_ struct cli_table *t = NULL;
	_cleanup_free_ char *url = NULL;
	char fp[FINGERPRINT_TEXT_MAX];

	int r = fetch_pem(ctx, "/api/vault/ca.crt", CERT_LABEL, &resp);
	if (r != 0)
		return r;
	if (fingerprint(resp.text, fp) < 0)
		return cli_error_transport(ctx, -EBADMSG);
	r = cli_config_fetch(ctx, &config);
	if (r == 0)
		r = fetch_root(ctx, &root);
	if (r != 0)
		return r;
	bool matches = json_is_true(json_object_get(root.body, "matches_config"));
	const char *warning = json_string_value(json_object_get(root.body, "warning"));
	r = ca_url(cli_config_doc(config.body), &url);
	if (r < 0)
		return cli_error_local(r, "printing the certificate");

	if (ctx->json) {
		_cleanup_json_ json_t *doc = json_pack("{s:s, s:s, s:s?, s:b}", "cert", resp.text, "sha256", fp,
						       "url", url, "matches_config", matches);
		if (doc && !matches && warning)
			json_object_set_new(doc, "warning", json_string(warning));
		if (!doc)
			return cli_error_local(-ENOMEM, "printing the certificate");
		cli_json_print(doc);
		return CLI_EXIT_OK;
	}
	r = cli_table_new(2, &t);
	if (r == 0)
		r = cli_table_add(t, "sha256 fingerprint:", fp);
	if (r < 0)
		return cli_error_local(r, "printing the certificate");
	cli_table_print(t, stdout, "");
	print_pem(resp.text);
	if (url)
		printf("install this certificate as a trusted root on your devices; "
		       "also served at %s\n", url);
	else
		printf("install this certificate as a trusted root on your devices\n");
	if (!matches)
		printf("warning: %s\n", warning ? warning : "this root no longer covers the cell's names; "
							     "'pic ca replace' makes a new one");
	return CLI_EXIT_OK;
}

/* --- list ------------------------------------------------------------ */

/* The NAMES column: the DNS names, then the IP addresses, comma separated;
 * NULL in *ret_text when there are none (shown as "-"). */
static int names_text(const json_t *cert, char **ret_text)
{
	static const char *const keys[] = { "names", "ips" };
	_cleanup_(buf_free) struct buf b;
	const json_t *v;
	size_t i;
	int r = 0;

	buf_init(&b, CLI_HTTP_BODY_MAX);
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
		json_array_foreach(json_object_get(cert, keys[k]), i, v)
			if (r == 0 && json_is_string(v))
				r = buf_printf(&b, "%s%s", b.len ? "," : "", json_string_value(v));
	if (r < 0)
		return r;
	*ret_text = buf_steal(&b);
	return 0;
}

static int list_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_table_ struct cli_table *t = NULL;
	const json_t *certs, *c;
	size_t i;

	int r = cli_list_fetch(ctx, &(struct cli_request){ .method = "GET", .path = "/api/vault/certs" },
			       "certs", "no certificates issued", &resp, &certs);
	if (r != 0 || !certs)
		return r;
	r = cli_table_new(4, &t);
	if (r == 0)
		r = cli_table_add(t, "SERIAL", "STATUS", "NOT-AFTER", "NAMES");
	json_array_foreach(certs, i, c) {
		char until[CLI_TIME_TEXT_MAX];
		_cleanup_free_ char *names = NULL;
		if (r == 0)
			r = names_text(c, &names);
		if (r == 0)
			r = cli_table_add(t, json_string_value(json_object_get(c, "serial")),
					  json_string_value(json_object_get(c, "status")),
					  cli_time_json(json_object_get(c, "not_after"), "-", until),
					  names);
	}
	if (r < 0)
		return cli_error_local(r, "printing the certificates");
	cli_table_print(t, stdout, "");
	return CLI_EXIT_OK;
}

/* --- issue ----------------------------------------------------------- */

struct issue_args {
	json_t *names;    /* strings, as given */
	json_t *ips;
	uint32_t days;    /* 0: picd's default */
	const char *cert; /* files, or NULL for stdout */
	const char *key;
	bool force;
};

static void issue_args_done(struct issue_args *a)
{
	json_decref(a->names);
	json_decref(a->ips);
}

/* Appends `word` to `list` as a string. Returns 0 or the exit status. */
static int append_word(json_t *list, const char *what, const char *word)
{
	json_t *s = json_string(word);
	if (!s)
		return cli_error_usage("%s '%s' is not valid UTF-8", what, word);
	if (json_array_append_new(list, s) < 0)
		return cli_error_local(-ENOMEM, "building the request");
	return 0;
}

/* Takes one option that needs a value ("--days 30" or "--days=30") at
 * argv[*i]; NULL when argv[*i] is not `name`. */
static const char *option_value(const char *name, int argc, char **argv, int *i, bool *ret_missing)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];

	*ret_missing = false;
	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*ret_missing = true;
		return NULL;
	}
	return argv[++*i];
}

/* A file option given once, and not empty. Returns 0 or the exit status. */
static int set_file(const char **slot, const char *name, const char *value)
{
	if (*slot)
		return cli_error_usage("%s is given twice", name);
	if (!*value)
		return cli_error_usage("%s needs a file name", name);
	*slot = value;
	return 0;
}

static int parse_one(struct issue_args *a, int argc, char **argv, int *i)
{
	static const char *const valued[] = { "--ip", "--days", "--cert", "--key" };
	const char *arg = argv[*i], *value = NULL, *name = NULL;
	bool missing = false;

	if (arg[0] != '-')
		return append_word(a->names, "name", arg);
	if (strcmp(arg, "--force") == 0) {
		a->force = true;
		return 0;
	}
	for (size_t k = 0; k < ARRAY_SIZE(valued) && !value && !missing; k++) {
		name = valued[k];
		value = option_value(name, argc, argv, i, &missing);
	}
	if (missing)
		return cli_error_usage("%s needs a value", name);
	if (!value)
		return cli_error_usage("unknown option '%s'; see 'pic ca issue --help'", arg);
	if (strcmp(name, "--ip") == 0)
		return append_word(a->ips, "address", value);
	if (strcmp(name, "--cert") == 0)
		return set_file(&a->cert, name, value);
	if (strcmp(name, "--key") == 0)
		return set_file(&a->key, name, value);
	if (a->days)
		return cli_error_usage("--days is given twice");
	if (parse_u32(value, 1, DAYS_MAX, &a->days) < 0)
		return cli_error_usage("--days takes a whole number of days, not '%s'", value);
	return 0;
}

/* Whether two paths would name the same directory entry: the same parent
 * directory and the same last component. Renaming onto one replaces the
 * entry, so that is what matters, not where a symlink leads. */
static bool same_entry(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	const char *base_a = sa ? sa + 1 : a, *base_b = sb ? sb + 1 : b;
	_cleanup_free_ char *dir_a = sa ? strndup(a, (size_t)(sa - a) + 1) : strdup(".");
	_cleanup_free_ char *dir_b = sb ? strndup(b, (size_t)(sb - b) + 1) : strdup(".");
	struct stat st_a, st_b;

	if (strcmp(base_a, base_b) != 0)
		return false;
	if (!dir_a || !dir_b || stat(dir_a, &st_a) < 0 || stat(dir_b, &st_b) < 0)
		return strcmp(a, b) == 0;
	return st_a.st_dev == st_b.st_dev && st_a.st_ino == st_b.st_ino;
}

static int parse_issue(int argc, char **argv, struct issue_args *a)
{
	a->names = json_array();
	a->ips = json_array();
	if (!a->names || !a->ips)
		return cli_error_local(-ENOMEM, "starting");
	for (int i = 0; i < argc; i++) {
		int r = parse_one(a, argc, argv, &i);
		if (r != 0)
			return r;
	}
	if (json_array_size(a->names) == 0)
		return cli_error_usage("which names? usage: pic ca issue NAME... [--ip IP]... "
				       "[--days N] [--cert FILE --key FILE [--force]]");
	if (!a->cert != !a->key)
		return cli_error_usage("--cert and --key go together: the key is shown only once");
	if (a->force && !a->cert)
		return cli_error_usage("--force only applies to the files of --cert and --key");
	if (a->cert && same_entry(a->cert, a->key))
		return cli_error_usage("--cert and --key name the same file '%s'", a->key);
	return 0;
}

static int build_issue_body(const struct issue_args *a, json_t **ret_body)
{
	_cleanup_json_ json_t *body = json_pack("{s:O}", "names", a->names);
	if (!body)
		return -ENOMEM;
	if (json_array_size(a->ips) > 0 && json_object_set(body, "ips", a->ips) < 0)
		return -ENOMEM;
	if (a->days && json_object_set_new(body, "days", json_integer(a->days)) < 0)
		return -ENOMEM;
	*ret_body = TAKE_PTR(body);
	return 0;
}

/* Wipes the private key in picd's parsed answer: jansson's free does not. */
static void wipe_key(json_t *answer)
{
	json_t *key = json_object_get(answer, "key");
	if (json_is_string(key))
		sodium_memzero((char *)json_string_value(key), json_string_length(key));
}

/* Writes the key, then the certificate, into the files made ready. */
static int write_files(const struct issue_args *a, struct cli_file *cert_file,
		       struct cli_file *key_file, const char *cert, const char *key, const char *serial)
{
	const char *failed = a->key;
	int r = cli_file_commit(key_file, key, strlen(key));
	if (r == 0) {
		failed = a->cert;
		r = cli_file_commit(cert_file, cert, strlen(cert));
	}
	if (r == 0)
		return 0;
	fprintf(stderr, "pic: cannot write '%s': %s\n", failed, strerror(-r));
	fprintf(stderr, "pic: certificate %s was issued all the same; revoke it with "
			"'pic ca revoke %s' and issue another\n", serial, serial);
	return CLI_EXIT_USAGE;
}

/* What `issue` prints once picd issued the certificate in `answer`. */
static int issue_output(const struct cli_ctx *ctx, const struct issue_args *a, json_t *answer,
			struct cli_file *cert_file, struct cli_file *key_file)
{
	const char *serial = json_string_value(json_object_get(answer, "serial"));
	const char *cert = json_string_value(json_object_get(answer, "cert"));
	const char *key = json_string_value(json_object_get(answer, "key"));
	char until[CLI_TIME_TEXT_MAX];

	if (!serial || !cert || !key)
		return cli_error_transport(ctx, -EBADMSG);
	const char *when = cli_time_json(json_object_get(answer, "not_after"), "?", until);

	if (!a->cert) {
		if (ctx->json) {
			cli_json_print(answer);
			return CLI_EXIT_OK;
		}
		/* The PEMs alone on stdout, so that it can go to a file whole. */
		print_pem(cert);
		print_pem(key);
		fprintf(stderr, "pic: certificate %s issued, valid until %s; its key is shown only "
				"now, store it safely\n", serial, when);
		return CLI_EXIT_OK;
	}
	int r = write_files(a, cert_file, key_file, cert, key, serial);
	if (r != 0)
		return r;
	if (ctx->json) {
		wipe_key(answer);
		json_object_del(answer, "key");
		cli_json_print(answer);
		return CLI_EXIT_OK;
	}
	printf("issued certificate %s, valid until %s\n", serial, when);
	printf("wrote the certificate to %s and its key to %s (mode 0600)\n", a->cert, a->key);
	return CLI_EXIT_OK;
}

static int issue_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_(issue_args_done) struct issue_args a = { 0 };
	_cleanup_file_ struct cli_file cert_file = CLI_FILE_INIT, key_file = CLI_FILE_INIT;
	_cleanup_response_ struct cli_response resp = { 0 };
	_cleanup_json_ json_t *body = NULL;

	int r = parse_issue(argc, argv, &a);
	if (r != 0)
		return r;
	r = build_issue_body(&a, &body);
	if (r < 0)
		return cli_error_local(r, "building the request");
	if (a.key) {
		r = cli_file_open(&key_file, a.key, 0600, a.force);
		if (r < 0)
			return file_error(r, a.key);
		r = cli_file_open(&cert_file, a.cert, 0644, a.force);
		if (r < 0)
			return file_error(r, a.cert);
	}
	r = cli_http_call(ctx, &(struct cli_request){ .method = "POST", .path = "/api/vault/certs",
						      .json = body },
			  &resp);
	if (r != 0)
		return r;
	r = issue_output(ctx, &a, resp.body, &cert_file, &key_file);
	wipe_key(resp.body);
	return r;
}

/* --- revoke ---------------------------------------------------------- */

/* A serial as `list` shows it (lower-case hex); upper case and the colons
 * of `openssl x509 -text` are taken too. -EINVAL for anything else. */
static int parse_serial(const char *arg, char out[SERIAL_MAX + 1])
{
	size_t n = 0;

	for (const char *p = arg; *p; p++) {
		if (*p == ':')
			continue;
		if (!isxdigit((unsigned char)*p) || n >= SERIAL_MAX)
			return -EINVAL;
		out[n++] = (char)tolower((unsigned char)*p);
	}
	if (n == 0)
		return -EINVAL;
	out[n] = '\0';
	return 0;
}

static int revoke_run(const struct cli_ctx *ctx, int argc, char **argv)
{
	_cleanup_response_ struct cli_response resp = { 0 };
	char serial[SERIAL_MAX + 1], path[SERIAL_MAX + 64];

	if (parse_serial(argv[0], serial) < 0)
		return cli_error_usage("'%s' is not a serial number (hex digits, as 'pic ca list' "
				       "shows them)", argv[0]);
	int n = snprintf(path, sizeof(path), "/api/vault/certs/%s/revoke", serial);
	if (n < 0 || (size_t)n >= sizeof(path))
		return cli_error_local(-ENAMETOOLONG, "building the request");
	int r = cli_http_call(ctx, &(struct cli_request){ .method = "POST", .path = path }, &resp);
	if (r != 0)
		return r;
	if (ctx->json) {
		if (resp.body)
			cli_json_print(resp.body);
		return CLI_EXIT_OK;
	}
	printf("certificate %s revoked\n", serial);
	return CLI_EXIT_OK;
}
