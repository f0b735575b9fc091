/* monitor.h -- what the server counts about itself; GET /metrics. */
#ifndef HAILONG_MONITOR_H
#define HAILONG_MONITOR_H

struct ctx;
struct monitor;

/* New: monitor_free(). */
struct monitor *monitor_new(void);
/* Accepts NULL. */
void monitor_free(struct monitor *m);

/*
 * Count one finished request: `route` is its index in routes[] (-1 when
 * no route matched), `method` an enum http_method bit, `status` the HTTP
 * status sent, `seconds` from the first byte to the end.  Any thread.
 * Accepts NULL (counts nothing).
 */
void monitor_request(
    struct monitor *m, int route, unsigned method, int status, double seconds);

/*
 * GET /metrics: the Prometheus text format (version 0.0.4), for the
 * addresses of the `metrics_allow` option only; anyone else gets the
 * ordinary 404 page, as if there were no such route.  The client address
 * is the one the request came from after unwrapping trusted proxies, so
 * a request relayed by a proxy counts as the outside client's.
 */
void page_prometheus(struct ctx *c);

#endif
