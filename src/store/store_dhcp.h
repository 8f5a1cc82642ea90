/* DHCP settings and reservations in the store. */
#pragma once

#include "model/dhcp.h"
#include "store.h"

#define DHCP_RESERVATIONS_MAX 1024

int store_dhcp_settings_load(struct store *s, struct dhcp_settings *ret);
int store_dhcp_settings_save(struct store *s, const struct dhcp_settings *d);

int store_dhcp_reservation_list(struct store *s, struct dhcp_reservation *ret, int max);
/* -EEXIST when the MAC or the IP is already reserved. */
int store_dhcp_reservation_add(struct store *s, const struct dhcp_reservation *r);
/* -ENOENT if there was none for this MAC. */
int store_dhcp_reservation_delete(struct store *s, const uint8_t mac[6]);
