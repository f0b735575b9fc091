/* routes.c -- the API on one screen. */
#include "hailong/wire.h"
#include "core/apikey.h"
#include "core/users.h"
#include "web/monitor.h"
#include "web/pages.h"
#include "web/server.h"

#define FORM_BODY_MAX ((size_t)16 * 1024)
/* a setup form: a few names of at most 300 bytes, percent-encoded */
#define SETUP_BODY_MAX ((size_t)4096)
#define IMPORT_BODY_MAX ((size_t)8 * 1024 * 1024)
/* REPORT_JSON_MAX and the signature in base64url, and the JSON around */
#define REPORT_BODY_MAX ((size_t)44 * 1024 * 1024)
#define DUTY_BODY_MAX ((size_t)1024)
#define LINKS_BODY_MAX ((size_t)1024)

const struct route routes[] = {
	/* method, pattern, handler, who may call, least role, body cap */

	/* citizens */
	{ HTTP_GET, "/q/:token", page_q_get, AUTH_PUBLIC, 0, 0, 0 },
	{ HTTP_POST, "/q/:token", page_q_post, AUTH_PUBLIC, 0, FORM_BODY_MAX,
	    0 },
	{ HTTP_GET, "/qr/:token.svg", page_qr_svg, AUTH_PUBLIC, 0, 0, 0 },
	{ HTTP_GET, "/qr/:token.png", page_qr_png, AUTH_PUBLIC, 0, 0, 0 },
	{ HTTP_GET, "/poster/:token", page_poster, AUTH_PUBLIC, 0, 0, 0 },

	/* staff */
	{ HTTP_GET, "/login", page_login_get, AUTH_PUBLIC, 0, 0, 0 },
	{ HTTP_POST, "/login", page_login_post, AUTH_PUBLIC, 0, 4096, 0 },
	{ HTTP_POST, "/logout", page_logout, AUTH_STAFF, ROLE_VIEWER, 1024, 0 },
	{ HTTP_GET, "/account/password", page_password_get, AUTH_STAFF,
	    ROLE_VIEWER, 0, 0 },
	{ HTTP_POST, "/account/password", page_password_post, AUTH_STAFF,
	    ROLE_VIEWER, 4096, 0 },
	{ HTTP_GET, "/admin", page_admin, AUTH_STAFF, ROLE_VIEWER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit", page_admin_unit, AUTH_STAFF,
	    ROLE_VIEWER, 0, 0 },
	/* figures and reviews (console part A): every role reaches the
	 * handler, which answers 404 outside the user's units first, then
	 * 403 where the role is short (counters, officers, review changes) */
	{ HTTP_GET, "/admin/units/:unit/procedures", page_procedures,
	    AUTH_STAFF, ROLE_VIEWER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/procedures/:proc", page_procedure,
	    AUTH_STAFF, ROLE_VIEWER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/counters", page_counters, AUTH_STAFF,
	    ROLE_VIEWER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/officers", page_officers, AUTH_STAFF,
	    ROLE_VIEWER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/reviews", page_reviews, AUTH_STAFF,
	    ROLE_VIEWER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/reviews", page_reviews_post,
	    AUTH_STAFF, ROLE_VIEWER, FORM_BODY_MAX, 0 },
	{ HTTP_GET, "/admin/units/:unit/reviews/new", page_review_new,
	    AUTH_STAFF, ROLE_VIEWER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/reviews/:id", page_review, AUTH_STAFF,
	    ROLE_VIEWER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/reviews/:id", page_review_post,
	    AUTH_STAFF, ROLE_VIEWER, FORM_BODY_MAX, 0 },
	/* the public page (ba công khai): aggregates only, no login */
	{ HTTP_GET, "/cong-khai", page_public, AUTH_PUBLIC, 0, 0, 0 },
	{ HTTP_GET, "/cong-khai/:unit", page_public_unit, AUTH_PUBLIC, 0, 0,
	    0 },

	/* console, part B: comments, kiosks, QR, ballots, audit, users */
	{ HTTP_GET, "/admin/units/:unit/comments", page_comments, AUTH_STAFF,
	    ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/comments/:seq/status",
	    page_comment_status, AUTH_STAFF, ROLE_MANAGER, 4096, 0 },
	/* the callback queue: every role (no number, no comment below a
	 * manager); one request's page and its changes: managers */
	{ HTTP_GET, "/admin/units/:unit/callbacks", page_callbacks, AUTH_STAFF,
	    ROLE_VIEWER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/callbacks/:id", page_callback,
	    AUTH_STAFF, ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/callbacks/:id", page_callback_post,
	    AUTH_STAFF, ROLE_MANAGER, 4096, 0 },
	{ HTTP_GET, "/admin/units/:unit/kiosks", page_kiosks, AUTH_STAFF,
	    ROLE_VIEWER, 0, 0 },
	/* what cannot be undone: GET shows what will happen, POST acts */
	{ HTTP_GET, "/admin/units/:unit/kiosks/:kiosk/revoke",
	    page_kiosk_revoke_get, AUTH_STAFF, ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/kiosks/:kiosk/revoke",
	    page_kiosk_revoke, AUTH_STAFF, ROLE_MANAGER, 1024, 0 },
	{ HTTP_GET, "/admin/units/:unit/qr", page_posters, AUTH_STAFF,
	    ROLE_MANAGER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/ballots", page_ballots, AUTH_STAFF,
	    ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/ballots", page_ballots_post,
	    AUTH_STAFF, ROLE_MANAGER, FORM_BODY_MAX, 0 },
	{ HTTP_GET, "/admin/units/:unit/audit", page_audit, AUTH_STAFF,
	    ROLE_MANAGER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/users", page_users, AUTH_STAFF,
	    ROLE_ADMIN, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/users", page_users_add, AUTH_STAFF,
	    ROLE_ADMIN, 4096, 0 },
	{ HTTP_GET, "/admin/units/:unit/users/:user/disable",
	    page_users_disable_get, AUTH_STAFF, ROLE_ADMIN, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/users/:user/disable",
	    page_users_disable, AUTH_STAFF, ROLE_ADMIN, 1024, 0 },
	{ HTTP_GET, "/admin/units/:unit/users/:user/enable",
	    page_users_enable_get, AUTH_STAFF, ROLE_ADMIN, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/users/:user/enable", page_users_enable,
	    AUTH_STAFF, ROLE_ADMIN, 1024, 0 },
	{ HTTP_POST, "/admin/units/:unit/users/:user/reset", page_users_reset,
	    AUTH_STAFF, ROLE_ADMIN, 1024, 0 },
	/* setup (issue 16): managers of the unit and admins above it; the
	 * handlers answer 404 outside the scope, then 403 where the role or
	 * the unit is not enough (page_setup.c) */
	{ HTTP_GET, "/admin/units/:unit/setup", page_setup, AUTH_STAFF,
	    ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/units", page_setup_unit_add,
	    AUTH_STAFF, ROLE_ADMIN, SETUP_BODY_MAX, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/rename", page_setup_unit_rename,
	    AUTH_STAFF, ROLE_ADMIN, SETUP_BODY_MAX, 0 },
	{ HTTP_GET, "/admin/units/:unit/setup/disable",
	    page_setup_unit_disable_get, AUTH_STAFF, ROLE_ADMIN, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/disable",
	    page_setup_unit_disable, AUTH_STAFF, ROLE_ADMIN, 1024, 0 },
	{ HTTP_GET, "/admin/units/:unit/setup/counters", page_setup_counters,
	    AUTH_STAFF, ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/counters",
	    page_setup_counter_add, AUTH_STAFF, ROLE_MANAGER, SETUP_BODY_MAX,
	    0 },
	{ HTTP_POST, "/admin/units/:unit/setup/counters/:number/rename",
	    page_setup_counter_rename, AUTH_STAFF, ROLE_MANAGER, SETUP_BODY_MAX,
	    0 },
	{ HTTP_GET, "/admin/units/:unit/setup/counters/:number/disable",
	    page_setup_counter_disable_get, AUTH_STAFF, ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/counters/:number/disable",
	    page_setup_counter_disable, AUTH_STAFF, ROLE_MANAGER, 1024, 0 },
	{ HTTP_GET, "/admin/units/:unit/setup/officers", page_setup_officers,
	    AUTH_STAFF, ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/officers",
	    page_setup_officer_add, AUTH_STAFF, ROLE_MANAGER, SETUP_BODY_MAX,
	    0 },
	{ HTTP_GET, "/admin/units/:unit/setup/officers/:officer/disable",
	    page_setup_officer_disable_get, AUTH_STAFF, ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/officers/:officer/disable",
	    page_setup_officer_disable, AUTH_STAFF, ROLE_MANAGER, 1024, 0 },
	{ HTTP_GET, "/admin/units/:unit/setup/procedures",
	    page_setup_procedures, AUTH_STAFF, ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/procedures",
	    page_setup_procedures_post, AUTH_STAFF, ROLE_MANAGER, FORM_BODY_MAX,
	    0 },
	{ HTTP_GET, "/admin/units/:unit/setup/duty", page_setup_duty,
	    AUTH_STAFF, ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/duty", page_setup_duty_post,
	    AUTH_STAFF, ROLE_MANAGER, 1024, 0 },
	{ HTTP_GET, "/admin/units/:unit/setup/instrument",
	    page_setup_instrument, AUTH_STAFF, ROLE_ADMIN, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/setup/instrument",
	    page_setup_instrument_post, AUTH_STAFF, ROLE_ADMIN, FORM_BODY_MAX,
	    0 },
	{ HTTP_GET, "/admin/units/:unit/reports", page_reports_get, AUTH_STAFF,
	    ROLE_REPORTER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/reports", page_reports_post,
	    AUTH_STAFF, ROLE_REPORTER, 4096, 0 },
	{ HTTP_GET, "/admin/units/:unit/reports/status", page_report_status_get,
	    AUTH_STAFF, ROLE_REPORTER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/reports/:id/:file", page_reports_file,
	    AUTH_STAFF, ROLE_REPORTER, 0, 0 },
	{ HTTP_GET, "/admin/units/:unit/alerts", page_alerts, AUTH_STAFF,
	    ROLE_MANAGER, 0, 0 },
	{ HTTP_POST, "/admin/units/:unit/alerts", page_alerts_post, AUTH_STAFF,
	    ROLE_MANAGER, FORM_BODY_MAX, 0 },

	/* machines: the one-stop system's feed, other systems */
	{ HTTP_POST, "/api/v1/dossiers", api_dossiers_post, AUTH_APIKEY, 0,
	    IMPORT_BODY_MAX, APIKEY_SCOPE_IMPORT },
	{ HTTP_POST, "/api/v1/ratings", api_ratings_post, AUTH_APIKEY, 0,
	    IMPORT_BODY_MAX, APIKEY_SCOPE_IMPORT },
	/* signed monthly reports of subordinate units (api_reports.c) */
	{ HTTP_POST, "/api/v1/reports", api_reports_post, AUTH_APIKEY, 0,
	    REPORT_BODY_MAX, APIKEY_SCOPE_REPORTS },
	{ HTTP_GET, "/api/v1/reports/status", api_reports_status_get,
	    AUTH_APIKEY, 0, 0, APIKEY_SCOPE_REPORTS },
	/* the duty log: a queue system, the one-stop software (api_duty.c) */
	{ HTTP_POST, "/api/v1/counters/:unit/:number/duty", api_duty_post,
	    AUTH_APIKEY, 0, DUTY_BODY_MAX, APIKEY_SCOPE_DUTY },
	/* the one-stop system: a dossier's rating link, the dossier a
	 * counter serves now (api_links.c) */
	{ HTTP_POST, "/api/v1/dossiers/:code/rating-link", api_rating_link_post,
	    AUTH_APIKEY, 0, LINKS_BODY_MAX, APIKEY_SCOPE_LINKS },
	{ HTTP_POST, "/api/v1/counters/:unit/:number/serving", api_serving_post,
	    AUTH_APIKEY, 0, LINKS_BODY_MAX, APIKEY_SCOPE_LINKS },
	/* figures: scripts with a key, staff (any role) */
	{ HTTP_GET, "/api/v1/metrics", api_metrics_get, AUTH_STAFF_OR_APIKEY, 0,
	    0, APIKEY_SCOPE_METRICS },

	/* kiosks (include/hailong/wire.h) */
	{ HTTP_POST, WIRE_PATH_ENROLL, api_kiosk_enrol, AUTH_PUBLIC, 0,
	    WIRE_SMALL_BODY_MAX, 0 },
	{ HTTP_POST, WIRE_PATH_RATINGS, api_kiosk_ratings, AUTH_KIOSK, 0,
	    WIRE_BATCH_BODY_MAX, 0 },
	{ HTTP_POST, WIRE_PATH_HEARTBEAT, api_kiosk_heartbeat, AUTH_KIOSK, 0,
	    WIRE_SMALL_BODY_MAX, 0 },
	{ HTTP_GET, WIRE_PATH_CONFIG, api_kiosk_config, AUTH_KIOSK, 0, 0, 0 },
	{ HTTP_GET, WIRE_PATH_SERVING, api_kiosk_serving, AUTH_KIOSK, 0, 0, 0 },
	{ HTTP_GET, WIRE_PATH_KIOSKS, api_kiosks_list, AUTH_STAFF, ROLE_VIEWER,
	    0, 0 },

	/* operations */
	{ HTTP_GET, "/healthz", page_healthz, AUTH_PUBLIC, 0, 0, 0 },
	/* metrics_allow addresses only; others get 404 */
	{ HTTP_GET, "/metrics", page_prometheus, AUTH_PUBLIC, 0, 0, 0 },
	{ HTTP_GET, "/static/:file", page_static, AUTH_PUBLIC, 0, 0, 0 },
	{ HTTP_GET, "/", page_root, AUTH_PUBLIC, 0, 0, 0 },
	{ 0, NULL, NULL, AUTH_PUBLIC, 0, 0, 0 },
};
