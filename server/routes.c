/* routes.c -- the API on one screen. */
#include "hailong/wire.h"
#include "monitor.h"
#include "pages.h"
#include "server.h"
#include "users.h"

#define FORM_BODY_MAX ((size_t)16 * 1024)
#define IMPORT_BODY_MAX ((size_t)8 * 1024 * 1024)
#define REPORT_BODY_MAX ((size_t)6 * 1024 * 1024)

const struct route routes[] = {
	/* method, pattern, handler, who may call, least role, body cap */

	/* citizens */
	{ HTTP_GET, "/q/:token", page_q_get, AUTH_PUBLIC, 0, 0 },
	{ HTTP_POST, "/q/:token", page_q_post, AUTH_PUBLIC, 0, FORM_BODY_MAX },
	{ HTTP_GET, "/qr/:token.svg", page_qr_svg, AUTH_PUBLIC, 0, 0 },
	{ HTTP_GET, "/qr/:token.png", page_qr_png, AUTH_PUBLIC, 0, 0 },
	{ HTTP_GET, "/poster/:token", page_poster, AUTH_PUBLIC, 0, 0 },

	/* staff */
	{ HTTP_GET, "/login", page_login_get, AUTH_PUBLIC, 0, 0 },
	{ HTTP_POST, "/login", page_login_post, AUTH_PUBLIC, 0, 4096 },
	{ HTTP_POST, "/logout", page_logout, AUTH_STAFF, ROLE_VIEWER, 1024 },
	{ HTTP_GET, "/account/password", page_password_get, AUTH_STAFF,
	    ROLE_VIEWER, 0 },
	{ HTTP_POST, "/account/password", page_password_post, AUTH_STAFF,
	    ROLE_VIEWER, 4096 },
	{ HTTP_GET, "/admin", page_admin, AUTH_STAFF, ROLE_VIEWER, 0 },
	{ HTTP_GET, "/admin/units/:unit", page_admin_unit, AUTH_STAFF,
	    ROLE_VIEWER, 0 },
	{ HTTP_GET, "/admin/units/:unit/reports", page_reports_get, AUTH_STAFF,
	    ROLE_REPORTER, 0 },
	{ HTTP_POST, "/admin/units/:unit/reports", page_reports_post,
	    AUTH_STAFF, ROLE_REPORTER, 4096 },
	{ HTTP_GET, "/admin/units/:unit/reports/:id/:file", page_reports_file,
	    AUTH_STAFF, ROLE_REPORTER, 0 },

	/* machines: the one-stop system's feed, other systems */
	{ HTTP_POST, "/api/v1/dossiers", api_dossiers_post, AUTH_APIKEY, 0,
	    IMPORT_BODY_MAX },
	{ HTTP_POST, "/api/v1/ratings", api_ratings_post, AUTH_APIKEY, 0,
	    IMPORT_BODY_MAX },
	/* signed monthly reports of subordinate units (api_reports.c) */
	{ HTTP_POST, "/api/v1/reports", api_reports_post, AUTH_APIKEY, 0,
	    REPORT_BODY_MAX },
	/* figures: scripts with a key, staff (any role) */
	{ HTTP_GET, "/api/v1/metrics", api_metrics_get, AUTH_STAFF_OR_APIKEY, 0,
	    0 },

	/* kiosks (include/hailong/wire.h) */
	{ HTTP_POST, WIRE_PATH_ENROLL, api_kiosk_enrol, AUTH_PUBLIC, 0,
	    WIRE_SMALL_BODY_MAX },
	{ HTTP_POST, WIRE_PATH_RATINGS, api_kiosk_ratings, AUTH_KIOSK, 0,
	    WIRE_BATCH_BODY_MAX },
	{ HTTP_POST, WIRE_PATH_HEARTBEAT, api_kiosk_heartbeat, AUTH_KIOSK, 0,
	    WIRE_SMALL_BODY_MAX },
	{ HTTP_GET, WIRE_PATH_CONFIG, api_kiosk_config, AUTH_KIOSK, 0, 0 },
	{ HTTP_GET, WIRE_PATH_KIOSKS, api_kiosks_list, AUTH_STAFF, ROLE_VIEWER,
	    0 },

	/* operations */
	{ HTTP_GET, "/healthz", page_healthz, AUTH_PUBLIC, 0, 0 },
	/* metrics_allow addresses only; others get 404 */
	{ HTTP_GET, "/metrics", page_prometheus, AUTH_PUBLIC, 0, 0 },
	{ HTTP_GET, "/static/:file", page_static, AUTH_PUBLIC, 0, 0 },
	{ HTTP_GET, "/", page_root, AUTH_PUBLIC, 0, 0 },
	{ 0, NULL, NULL, AUTH_PUBLIC, 0, 0 },
};
