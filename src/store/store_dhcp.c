/* The dhcp_settings and dhcp_reservations tables. */
#include "store_dhcp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/banned.h"

int store_dhcp_settings_load(struct store *s, struct dhcp_settings *ret)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT interface, range_start, range_end, lease_s, gateway "
					 "FROM dhcp_settings WHERE id = 1");
	if (!st)
		return -EIO;
	*ret = (struct dhcp_settings){ .lease_s = DHCP_LEASE_DEFAULT_S };
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(ret->interface, sizeof(ret->interface), "%s", (const char *)sqlite3_column_text(st, 0));
		ret->enabled = ret->interface[0] != '\0';
		ret->range_start = (uint32_t)sqlite3_column_int64(st, 1);
		ret->range_end = (uint32_t)sqlite3_column_int64(st, 2);
		ret->lease_s = (uint32_t)sqlite3_column_int64(st, 3);
		ret->gateway = (uint32_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return 0;
}

int store_dhcp_settings_save(struct store *s, const struct dhcp_settings *d)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO dhcp_settings(id, interface, range_start, range_end, lease_s, "
					 "gateway) VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
					 "interface = excluded.interface, range_start = excluded.range_start, "
					 "range_end = excluded.range_end, lease_s = excluded.lease_s, "
					 "gateway = excluded.gateway");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, d->enabled ? d->interface : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, d->range_start);
	sqlite3_bind_int64(st, 3, d->range_end);
	sqlite3_bind_int64(st, 4, d->lease_s);
	sqlite3_bind_int64(st, 5, d->gateway);
	int r = store_step_done(s, st);
	return r < 0 ? r : 0;
}

int store_dhcp_reservation_list(struct store *s, struct dhcp_reservation *ret, int max)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT mac, ip, hostname FROM dhcp_reservations ORDER BY ip");
	if (!st)
		return -EIO;
	int n = 0;
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		struct dhcp_reservation *r = &ret[n];
		*r = (struct dhcp_reservation){ .ip = (uint32_t)sqlite3_column_int64(st, 1) };
		if (dhcp_mac_parse((const char *)sqlite3_column_text(st, 0), r->mac) < 0)
			continue;
		snprintf(r->hostname, sizeof(r->hostname), "%s", (const char *)sqlite3_column_text(st, 2));
		n++;
	}
	sqlite3_reset(st);
	return n;
}

int store_dhcp_reservation_add(struct store *s, const struct dhcp_reservation *r)
{
	char mac[18];
	dhcp_mac_format(r->mac, mac);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO dhcp_reservations(mac, ip, hostname) VALUES (?1, ?2, ?3)");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, mac, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, r->ip);
	sqlite3_bind_text(st, 3, r->hostname, -1, SQLITE_TRANSIENT);
	int n = store_step_done(s, st);
	return n < 0 ? n : 0;
}

int store_dhcp_reservation_delete(struct store *s, const uint8_t mac[6])
{
	char text[18];
	dhcp_mac_format(mac, text);
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM dhcp_reservations WHERE mac = ?1");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	int n = store_step_done(s, st);
	return n < 0 ? n : n == 0 ? -ENOENT : 0;
}
