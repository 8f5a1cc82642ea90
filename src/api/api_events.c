/* GET /api/events: the cell's events as Server-Sent Events — apply
 * progress and results, service state changes. */
#include "daemon.h"
#include "handlers.h"
#include "sse.h"
#include "common/banned.h"

HANDLER(api_events)
{
	return sse_open(d->events, res, SSE_EVENTS, NULL, 0);
}
