/* The proxy's routes: the owner's switches (known virtual IPs only, the
 * web interface's never off, kept sorted and without repeats), and the
 * route list worked out from the services' declarations — picd's own
 * route, a declared route proxied only while its service serves, an
 * undeclared one "no service", a switched-off one "off" whatever its
 * service does — and declarations that cannot be served refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "model/proxy.h"
#include "net/netplan.h"
#include "svc/proxy_routes.h"
#include "common/banned.h"

static void test_switches(void **state)
{
	struct proxy_settings p = { 0 };
	struct field_error e;
	assert_int_equal(proxy_route_set(&p, "nosuch", false, &e), -ENOENT);
	assert_int_equal(proxy_route_set(&p, "", true, &e), -ENOENT);
	assert_int_equal(proxy_route_set(&p, "webui", false, &e), -EINVAL);
	assert_string_equal(e.field, "enabled");
	assert_int_equal(proxy_route_set(&p, "webui", true, &e), 0);
	assert_int_equal(p.n_off, 0);

	assert_int_equal(proxy_route_set(&p, "mail", false, &e), 0);
	assert_int_equal(proxy_route_set(&p, "calendar", false, &e), 0);
	assert_int_equal(proxy_route_set(&p, "mail", false, &e), 0); /* again: no repeat */
	assert_int_equal(p.n_off, 2);
	assert_string_equal(p.off[0], "calendar");
	assert_string_equal(p.off[1], "mail");
	assert_true(proxy_route_is_off(&p, "mail"));
	assert_false(proxy_route_is_off(&p, "files"));

	assert_int_equal(proxy_route_set(&p, "calendar", true, &e), 0);
	assert_int_equal(proxy_route_set(&p, "calendar", true, &e), 0);
	assert_int_equal(p.n_off, 1);
	assert_string_equal(p.off[0], "mail");
}

static const struct svc_route calendar_route[] = { { .vip = "calendar", .port = 5232, .name = "The calendar" } };
static const struct svc_ops plain = { .name = "ntp" };
static const struct svc_ops radicale = { .name = "calendar", .routes = calendar_route, .n_routes = 1 };

static struct netplan plan_with_calendar(void)
{
	struct netplan p = { .n_services = 2 };
	snprintf(p.services[0].name, sizeof(p.services[0].name), "ntp");
	snprintf(p.services[1].name, sizeof(p.services[1].name), "calendar");
	p.services[1].n_addrs = 1;
	p.services[1].addrs[0] = 0xac14000c; /* 172.20.0.12 */
	return p;
}

static const struct proxy_route *find(const struct proxy_route *routes, const char *vip)
{
	for (size_t i = 0; i < SVC_CADDY_MAX_ROUTES; i++)
		if (strcmp(routes[i].vip, vip) == 0)
			return &routes[i];
	fail_msg("no route %s", vip);
	return NULL;
}

static void test_build(void **state)
{
	const struct svc_ops *table[] = { &plain, &radicale };
	struct netplan plan = plan_with_calendar();
	bool serving[2] = { true, false };
	struct proxy_routes_input in = { .table = table, .n_table = 2, .serving = serving, .plan = &plan,
					 .ui_upstream = "172.20.0.1:3000" };
	struct proxy_route out[SVC_CADDY_MAX_ROUTES];

	/* The calendar declared but not serving yet. */
	assert_int_equal(proxy_routes_build(&in, out), 0);
	const struct proxy_route *cal = find(out, "calendar"), *ui = find(out, "webui"), *files = find(out, "files");
	assert_int_equal(cal->state, PROXY_ROUTE_NOT_RUNNING);
	assert_string_equal(cal->service, "calendar");
	assert_int_equal(cal->port, 5232);
	assert_string_equal(cal->upstream, "");
	assert_int_equal(ui->state, PROXY_ROUTE_SERVING);
	assert_string_equal(ui->service, "picd");
	assert_string_equal(ui->upstream, "172.20.0.1:3000");
	assert_int_equal(files->state, PROXY_ROUTE_NO_SERVICE);
	assert_null(files->service);
	assert_string_equal(proxy_route_state_name(files->state), "no service");

	/* Serving: proxied to its own address. */
	serving[1] = true;
	assert_int_equal(proxy_routes_build(&in, out), 0);
	assert_int_equal(find(out, "calendar")->state, PROXY_ROUTE_SERVING);
	assert_string_equal(find(out, "calendar")->upstream, "172.20.0.12:5232");
	struct caddy_route caddy[SVC_CADDY_MAX_ROUTES];
	proxy_routes_for_caddy(out, SVC_CADDY_MAX_ROUTES, caddy);
	for (size_t i = 0; i < SVC_CADDY_MAX_ROUTES; i++)
		if (strcmp(caddy[i].vip, "calendar") == 0)
			assert_string_equal(caddy[i].upstream, "172.20.0.12:5232");
		else if (strcmp(caddy[i].vip, "files") == 0)
			assert_null(caddy[i].upstream);

	/* Switched off: off whatever the service does; webui cannot be. */
	struct proxy_settings off = { .n_off = 2 };
	snprintf(off.off[0], sizeof(off.off[0]), "calendar");
	snprintf(off.off[1], sizeof(off.off[1]), "webui");
	in.settings = &off;
	assert_int_equal(proxy_routes_build(&in, out), 0);
	assert_int_equal(find(out, "calendar")->state, PROXY_ROUTE_OFF);
	assert_string_equal(find(out, "calendar")->upstream, "");
	assert_int_equal(find(out, "webui")->state, PROXY_ROUTE_SERVING);
	proxy_routes_for_caddy(out, SVC_CADDY_MAX_ROUTES, caddy);
	for (size_t i = 0; i < SVC_CADDY_MAX_ROUTES; i++)
		assert_int_equal(caddy[i].off, strcmp(caddy[i].vip, "calendar") == 0);

	/* No picd upstream (not reachable yet): webui not running. */
	in.ui_upstream = NULL;
	assert_int_equal(proxy_routes_build(&in, out), 0);
	assert_int_equal(find(out, "webui")->state, PROXY_ROUTE_NOT_RUNNING);
}

static void test_bad_declarations(void **state)
{
	static const struct svc_route unknown[] = { { .vip = "wiki", .port = 80, .name = "The wiki" } };
	static const struct svc_route webui[] = { { .vip = "webui", .port = 80, .name = "Another UI" } };
	static const struct svc_route no_port[] = { { .vip = "files", .port = 0, .name = "Files" } };
	static const struct svc_route big_port[] = { { .vip = "files", .port = 65536, .name = "Files" } };
	static const struct svc_ops bad[] = {
		{ .name = "a", .routes = unknown, .n_routes = 1 },
		{ .name = "b", .routes = webui, .n_routes = 1 },
		{ .name = "c", .routes = no_port, .n_routes = 1 },
		{ .name = "d", .routes = big_port, .n_routes = 1 },
		{ .name = "e", .routes = calendar_route, .n_routes = 1, .host_network = true },
	};
	struct proxy_route out[SVC_CADDY_MAX_ROUTES];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct svc_ops *table[] = { &bad[i] };
		struct proxy_routes_input in = { .table = table, .n_table = 1 };
		assert_int_equal(proxy_routes_build(&in, out), -EINVAL);
	}
	/* The same virtual IP declared twice. */
	const struct svc_ops *twice[] = { &radicale, &radicale };
	struct proxy_routes_input in = { .table = twice, .n_table = 2 };
	assert_int_equal(proxy_routes_build(&in, out), -EINVAL);
}

/* The real table: every declaration in it can be served. */
static void test_real_table(void **state)
{
	struct proxy_routes_input in = { .table = svc_table, .n_table = svc_table_len, .ui_upstream = "10.0.0.1:3000" };
	struct proxy_route out[SVC_CADDY_MAX_ROUTES];
	assert_int_equal(proxy_routes_build(&in, out), 0);
	assert_int_equal(find(out, "webui")->state, PROXY_ROUTE_SERVING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switches),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_bad_declarations),
		cmocka_unit_test(test_real_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
