/* Thunderbird's autoconfig document (see mail_autoconfig.h). */
#include "mail_autoconfig.h"

#include "common/banned.h"

static int server(struct buf *out, const char *kind, const char *type, const char *host, const char *zone,
		  unsigned port, const char *socket)
{
	return buf_printf(out,
			  "    <%s type=\"%s\">\n"
			  "      <hostname>%s.%s</hostname>\n"
			  "      <port>%u</port>\n"
			  "      <socketType>%s</socketType>\n"
			  "      <authentication>password-cleartext</authentication>\n"
			  "      <username>%%EMAILLOCALPART%%</username>\n"
			  "    </%s>\n",
			  kind, type, host, zone, port, socket, kind);
}

int mail_autoconfig_render(const char *zone, const char *display_name, struct buf *out)
{
	int r = buf_printf(out,
			   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<clientConfig version=\"1.1\">\n"
			   "  <emailProvider id=\"%s\">\n"
			   "    <domain>%s</domain>\n"
			   "    <displayName>%s</displayName>\n"
			   "    <displayShortName>%s</displayShortName>\n",
			   zone, zone, display_name, display_name);
	/* TLS first; the password is sent only inside it either way. */
	if (r == 0)
		r = server(out, "incomingServer", "imap", "imap", zone, 993, "SSL");
	if (r == 0)
		r = server(out, "incomingServer", "imap", "imap", zone, 143, "STARTTLS");
	if (r == 0)
		r = server(out, "outgoingServer", "smtp", "smtp", zone, 465, "SSL");
	if (r == 0)
		r = server(out, "outgoingServer", "smtp", "smtp", zone, 587, "STARTTLS");
	return r == 0 ? buf_printf(out, "  </emailProvider>\n</clientConfig>\n") : r;
}
