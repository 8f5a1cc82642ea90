/* Every route handler, one group per api_<resource>.c file. */
#pragma once

#include "http.h"

struct daemon;

#define HANDLER(name) int name(struct daemon *d, struct http_request *req, struct http_response *res)

HANDLER(api_health_get);
HANDLER(api_access_get);
HANDLER(api_openapi_get);

HANDLER(api_config_get);
HANDLER(api_config_put);
HANDLER(api_config_pending_get);
HANDLER(api_config_apply);

HANDLER(api_auth_login);
HANDLER(api_auth_logout);
HANDLER(api_auth_session_get);
HANDLER(api_auth_password);

HANDLER(api_tokens_create);
HANDLER(api_tokens_list);
HANDLER(api_tokens_delete);

HANDLER(api_services_list);
HANDLER(api_services_restart);
HANDLER(api_services_stop);
HANDLER(api_services_start);
HANDLER(api_services_logs);

HANDLER(api_ntp_config_get);
HANDLER(api_ntp_config_put);
HANDLER(api_ntp_status);

HANDLER(api_dns_config_get);
HANDLER(api_dns_config_put);
HANDLER(api_dns_records_list);
HANDLER(api_dns_record_create);
HANDLER(api_dns_record_get);
HANDLER(api_dns_record_put);
HANDLER(api_dns_record_delete);
HANDLER(api_dns_records_batch);
HANDLER(api_dns_forwards_list);
HANDLER(api_dns_forwards_create);
HANDLER(api_dns_forwards_delete);

HANDLER(api_dhcp_config_get);
HANDLER(api_dhcp_config_put);
HANDLER(api_dhcp_reservations_list);
HANDLER(api_dhcp_reservations_create);
HANDLER(api_dhcp_reservations_delete);
HANDLER(api_dhcp_leases);

HANDLER(api_vault_ca_get);
HANDLER(api_vault_certs_list);
HANDLER(api_vault_certs_issue);
HANDLER(api_vault_certs_revoke);
HANDLER(api_vault_crl);
HANDLER(api_vault_root_get);
HANDLER(api_vault_root_replace);

HANDLER(api_proxy_routes_list);
HANDLER(api_proxy_route_put);

HANDLER(api_peers_list);
HANDLER(api_peers_create);
HANDLER(api_peers_get);
HANDLER(api_peers_put);
HANDLER(api_peers_delete);
HANDLER(api_peer_config);
HANDLER(api_peer_config_conf);
HANDLER(api_peer_qr_png);
HANDLER(api_peer_qr_svg);
HANDLER(api_peer_access);
HANDLER(api_wireguard_status);
HANDLER(api_wireguard_peers);
HANDLER(api_wireguard_traffic);

HANDLER(api_events);
HANDLER(api_cell_stop);

struct svc;
json_t *api_service_json(struct daemon *d, const struct svc *s);

HANDLER(api_users_list);
HANDLER(api_users_create);
HANDLER(api_users_get);
HANDLER(api_users_put);
HANDLER(api_users_delete);
HANDLER(api_users_orphans);
HANDLER(api_email_status);
HANDLER(api_email_domains_list);
HANDLER(api_email_domains_add);
HANDLER(api_email_domains_delete);
HANDLER(api_mail_autoconfig);
HANDLER(api_email_aliases_list);
HANDLER(api_email_aliases_add);
HANDLER(api_email_aliases_delete);
HANDLER(api_email_config_get);
HANDLER(api_email_config_put);
HANDLER(api_email_queue);
HANDLER(api_email_queue_flush);
HANDLER(api_email_queue_delete);
HANDLER(api_users_orphan_delete);
HANDLER(api_me_get);
