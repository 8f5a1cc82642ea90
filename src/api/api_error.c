/* Building error bodies. */
#include "api_error.h"

#include "common/banned.h"

json_t *api_error_json(const char *code, const char *message, const char *field)
{
	/* A message that quotes bad input may not be valid UTF-8. */
	json_t *msg = json_string(message ? message : "");
	if (!msg)
		msg = json_string("invalid input (the message could not be encoded)");
	json_t *err = json_pack("{s:s, s:o}", "code", code, "message", msg);
	if (!err)
		return NULL;
	if (field && *field)
		json_object_set_new(err, "field", json_string(field));
	return json_pack("{s:o}", "error", err);
}
