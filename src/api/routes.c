/* The route table. Order does not matter (see router.h). */
#include "routes.h"

#include "handlers.h"
#include "common/banned.h"

#define KIB 1024

const struct route routes[] = {
	{ HTTP_GET, "/health", api_health_get, ROUTE_PUBLIC, 0, "Liveness and version" },
	{ HTTP_GET, "/mail/config-v1.1.xml", api_mail_autoconfig, ROUTE_PUBLIC, 0,
	  "Mail client autoconfiguration (at autoconfig.<zone>)" },
	{ HTTP_GET, "/.well-known/autoconfig/mail/config-v1.1.xml", api_mail_autoconfig, ROUTE_PUBLIC, 0,
	  "Mail client autoconfiguration" },
	{ HTTP_GET, "/api/openapi.json", api_openapi_get, ROUTE_AUTH, 0, "This API's OpenAPI document" },
	{ HTTP_GET, "/api/access", api_access_get, ROUTE_PUBLIC, 0, "Where the web interface answers over HTTPS" },

	{ HTTP_GET, "/api/config", api_config_get, ROUTE_AUTH, 0, "Cell identity and address plan" },
	{ HTTP_PUT, "/api/config", api_config_put, ROUTE_AUTH, 4 * KIB, "Change identity fields" },
	{ HTTP_GET, "/api/config/pending", api_config_pending_get, ROUTE_AUTH, 0, "Changes waiting for apply" },
	{ HTTP_POST, "/api/config/apply", api_config_apply, ROUTE_AUTH, 0, "Apply pending changes" },

	{ HTTP_POST, "/api/auth/login", api_auth_login, ROUTE_PUBLIC, 2 * KIB, "Start a browser session" },
	{ HTTP_POST, "/api/auth/logout", api_auth_logout, ROUTE_SELF, 0, "End the browser session" },
	{ HTTP_GET, "/api/auth/session", api_auth_session_get, ROUTE_SELF, 0, "Who is logged in" },
	{ HTTP_POST, "/api/auth/password", api_auth_password, ROUTE_SELF, 2 * KIB, "Change one's own password" },

	{ HTTP_GET, "/api/users", api_users_list, ROUTE_AUTH, 0, "The cell's accounts" },
	{ HTTP_POST, "/api/users", api_users_create, ROUTE_AUTH, 8 * KIB, "Create an account" },
	{ HTTP_GET, "/api/email/config", api_email_config_get, ROUTE_AUTH, 0, "How mail for other servers leaves" },
	{ HTTP_PUT, "/api/email/config", api_email_config_put, ROUTE_AUTH, 4 * KIB,
	  "Direct delivery, or a relay host with its login" },
	{ HTTP_GET, "/api/email/status", api_email_status, ROUTE_AUTH, 0, "The mail service: queue and counts" },
	{ HTTP_GET, "/api/email/queue", api_email_queue, ROUTE_AUTH, 0, "Messages waiting in postfix's queue" },
	{ HTTP_POST, "/api/email/queue/flush", api_email_queue_flush, ROUTE_AUTH, 0, "Try every queued message now" },
	{ HTTP_DELETE, "/api/email/queue/{id}", api_email_queue_delete, ROUTE_AUTH, 0, "Delete a queued message" },
	{ HTTP_GET, "/api/users/orphans", api_users_orphans, ROUTE_AUTH, 0, "Data of deleted accounts, kept" },
	{ HTTP_DELETE, "/api/users/orphans/{id}", api_users_orphan_delete, ROUTE_AUTH, 0,
	  "Delete a deleted account's data" },
	{ HTTP_GET, "/api/users/{name}", api_users_get, ROUTE_AUTH, 0, "One account" },
	{ HTTP_PUT, "/api/users/{name}", api_users_put, ROUTE_AUTH, 8 * KIB, "Change an account" },
	{ HTTP_DELETE, "/api/users/{name}", api_users_delete, ROUTE_AUTH, 0, "Delete an account" },
	{ HTTP_GET, "/api/me", api_me_get, ROUTE_SELF, 0, "A cell account's own page" },

	{ HTTP_POST, "/api/auth/tokens", api_tokens_create, ROUTE_AUTH, 1 * KIB, "Create an API token" },
	{ HTTP_GET, "/api/auth/tokens", api_tokens_list, ROUTE_AUTH, 0, "List API tokens" },
	{ HTTP_DELETE, "/api/auth/tokens/{id}", api_tokens_delete, ROUTE_AUTH, 0, "Revoke an API token" },

	{ HTTP_GET, "/api/services", api_services_list, ROUTE_AUTH, 0, "Managed services and their state" },
	{ HTTP_GET, "/api/services/status", api_services_list, ROUTE_AUTH, 0, "Same as /api/services" },
	{ HTTP_POST, "/api/services/{name}/restart", api_services_restart, ROUTE_AUTH, 0, "Restart a service" },
	{ HTTP_POST, "/api/services/{name}/stop", api_services_stop, ROUTE_AUTH, 0, "Stop a service" },
	{ HTTP_POST, "/api/services/{name}/start", api_services_start, ROUTE_AUTH, 0, "Start a service" },
	{ HTTP_GET, "/api/services/{name}/logs", api_services_logs, ROUTE_AUTH, 0, "A service's output" },
	{ HTTP_GET, "/api/containers", api_services_list, ROUTE_AUTH, 0, "Old path of /api/services" },
	{ HTTP_POST, "/api/containers/{name}/restart", api_services_restart, ROUTE_AUTH, 0,
	  "Old path of /api/services/{name}/restart" },

	{ HTTP_GET, "/api/ntp/config", api_ntp_config_get, ROUTE_AUTH, 0, "NTP upstream servers" },
	{ HTTP_PUT, "/api/ntp/config", api_ntp_config_put, ROUTE_AUTH, 4 * KIB, "Change NTP upstream servers" },
	{ HTTP_GET, "/api/ntp/status", api_ntp_status, ROUTE_AUTH, 0, "NTP stratum, offset and sources" },

	{ HTTP_GET, "/api/dns/config", api_dns_config_get, ROUTE_AUTH, 0, "Resolver settings" },
	{ HTTP_PUT, "/api/dns/config", api_dns_config_put, ROUTE_AUTH, 4 * KIB, "Change resolver settings" },
	{ HTTP_GET, "/api/dns/records", api_dns_records_list, ROUTE_AUTH, 0, "Records of the cell zone" },
	{ HTTP_POST, "/api/dns/records", api_dns_record_create, ROUTE_AUTH, 8 * KIB, "Add a record" },
	{ HTTP_POST, "/api/dns/records/batch", api_dns_records_batch, ROUTE_AUTH, 4096 * KIB, "Add many records" },
	{ HTTP_GET, "/api/dns/records/{id}", api_dns_record_get, ROUTE_AUTH, 0, "One record" },
	{ HTTP_PUT, "/api/dns/records/{id}", api_dns_record_put, ROUTE_AUTH, 8 * KIB, "Replace a record" },
	{ HTTP_DELETE, "/api/dns/records/{id}", api_dns_record_delete, ROUTE_AUTH, 0, "Delete a record" },
	{ HTTP_GET, "/api/dns/forwards", api_dns_forwards_list, ROUTE_AUTH, 0, "Forward zones" },
	{ HTTP_POST, "/api/dns/forwards", api_dns_forwards_create, ROUTE_AUTH, 2 * KIB, "Add a forward zone" },
	{ HTTP_DELETE, "/api/dns/forwards/{zone}", api_dns_forwards_delete, ROUTE_AUTH, 0, "Remove a forward zone" },

	{ HTTP_GET, "/api/dhcp/config", api_dhcp_config_get, ROUTE_AUTH, 0, "DHCP settings" },
	{ HTTP_PUT, "/api/dhcp/config", api_dhcp_config_put, ROUTE_AUTH, 2 * KIB, "Change DHCP settings" },
	{ HTTP_GET, "/api/dhcp/reservations", api_dhcp_reservations_list, ROUTE_AUTH, 0, "DHCP reservations" },
	{ HTTP_POST, "/api/dhcp/reservations", api_dhcp_reservations_create, ROUTE_AUTH, 1 * KIB, "Reserve an address" },
	{ HTTP_DELETE, "/api/dhcp/reservations/{mac}", api_dhcp_reservations_delete, ROUTE_AUTH, 0,
	  "Remove a reservation" },
	{ HTTP_GET, "/api/dhcp/leases", api_dhcp_leases, ROUTE_AUTH, 0, "Active DHCP leases" },

	/* The root and the CRL are public: devices fetch them to trust the cell. */
	{ HTTP_GET, "/api/peers", api_peers_list, ROUTE_AUTH, 0, "VPN peers" },
	{ HTTP_POST, "/api/peers", api_peers_create, ROUTE_AUTH, 4 * KIB, "Add a VPN peer" },
	{ HTTP_GET, "/api/peers/{name}", api_peers_get, ROUTE_AUTH, 0, "One VPN peer" },
	{ HTTP_PUT, "/api/peers/{name}", api_peers_put, ROUTE_AUTH, 4 * KIB, "Change a VPN peer" },
	{ HTTP_DELETE, "/api/peers/{name}", api_peers_delete, ROUTE_AUTH, 0, "Remove a VPN peer" },
	{ HTTP_GET, "/api/peers/{name}/config", api_peer_config, ROUTE_AUTH, 0, "A peer's client config and QR code" },
	{ HTTP_GET, "/api/peers/{name}/config.conf", api_peer_config_conf, ROUTE_AUTH, 0, "A peer's client config file" },
	{ HTTP_GET, "/api/peers/{name}/qr.png", api_peer_qr_png, ROUTE_AUTH, 0, "A peer's config as a PNG QR code" },
	{ HTTP_GET, "/api/peers/{name}/qr.svg", api_peer_qr_svg, ROUTE_AUTH, 0, "A peer's config as an SVG QR code" },
	{ HTTP_GET, "/api/peers/{name}/access", api_peer_access, ROUTE_AUTH, 0, "What a peer can reach, and why" },
	{ HTTP_GET, "/api/wireguard/status", api_wireguard_status, ROUTE_AUTH, 0, "The VPN interface" },
	{ HTTP_GET, "/api/wireguard/peers", api_wireguard_peers, ROUTE_AUTH, 0, "VPN peers as the interface sees them" },
	{ HTTP_GET, "/api/proxy/routes", api_proxy_routes_list, ROUTE_AUTH, 0, "The proxy's web routes" },
	{ HTTP_PUT, "/api/proxy/routes/{vip}", api_proxy_route_put, ROUTE_AUTH, 1 * KIB, "Switch a web route on or off" },
	{ HTTP_GET, "/api/vault/ca.crt", api_vault_ca_get, ROUTE_PUBLIC, 0, "The cell's root certificate" },
	{ HTTP_GET, "/api/vault/crl", api_vault_crl, ROUTE_PUBLIC, 0, "Revoked certificates" },
	{ HTTP_GET, "/api/vault/ca", api_vault_root_get, ROUTE_AUTH, 0,
	  "The root CA: what it covers, and whether that is still the configuration" },
	{ HTTP_POST, "/api/vault/ca/replace", api_vault_root_replace, ROUTE_AUTH, 1 * KIB,
	  "Replace the root CA (devices must trust the new one)" },
	{ HTTP_GET, "/api/vault/certs", api_vault_certs_list, ROUTE_AUTH, 0, "Certificates the cell issued" },
	{ HTTP_POST, "/api/vault/certs", api_vault_certs_issue, ROUTE_AUTH, 4 * KIB, "Issue a certificate" },
	{ HTTP_POST, "/api/vault/certs/{serial}/revoke", api_vault_certs_revoke, ROUTE_AUTH, 0,
	  "Revoke a certificate" },

	{ HTTP_GET, "/api/events", api_events, ROUTE_AUTH, 0, "Cell events (Server-Sent Events)" },
	{ HTTP_POST, "/api/cell/stop", api_cell_stop, ROUTE_AUTH, 0, "Stop every service and picd" },
};
const size_t routes_len = sizeof(routes) / sizeof(routes[0]);
