/* pages.h -- every route handler, grouped by the file that holds it. */
#ifndef HAILONG_PAGES_H
#define HAILONG_PAGES_H

struct ctx;

/* page_form.c: the citizen's form */
void page_q_get(struct ctx *c);
void page_q_post(struct ctx *c);

/* page_qr.c: QR images and posters */
void page_qr_svg(struct ctx *c);
void page_qr_png(struct ctx *c);
void page_poster(struct ctx *c);

/* page_login.c: logging in and out, one's password */
void page_login_get(struct ctx *c);
void page_login_post(struct ctx *c);
void page_logout(struct ctx *c);
void page_password_get(struct ctx *c);
void page_password_post(struct ctx *c);

/* console.c: the console's frame */
void page_admin(struct ctx *c);

/* page_overview.c, page_procedures.c, page_staff.c, page_reviews.c,
 * page_public.c: the console's figures, reviews, the public page */
void page_admin_unit(struct ctx *c);
void page_procedures(struct ctx *c);
void page_procedure(struct ctx *c);
void page_counters(struct ctx *c);
void page_officers(struct ctx *c);
void page_reviews(struct ctx *c);
void page_review(struct ctx *c);
void page_review_new(struct ctx *c);
void page_reviews_post(struct ctx *c);
void page_review_post(struct ctx *c);
void page_public(struct ctx *c);
void page_public_unit(struct ctx *c);

/* console part B, one file each: see the file's opening comment */
void page_comments(struct ctx *c);          /* page_comments.c */
void page_comment_status(struct ctx *c);    /* page_comments.c */
void page_callbacks(struct ctx *c);         /* page_callbacks.c */
void page_callback(struct ctx *c);          /* page_callbacks.c */
void page_callback_post(struct ctx *c);     /* page_callbacks.c */
void page_kiosks(struct ctx *c);            /* page_kiosks.c */
void page_kiosk_revoke_get(struct ctx *c);  /* page_kiosks.c */
void page_kiosk_revoke(struct ctx *c);      /* page_kiosks.c */
void page_posters(struct ctx *c);           /* page_posters.c */
void page_ballots(struct ctx *c);           /* page_ballots.c */
void page_ballots_post(struct ctx *c);      /* page_ballots.c */
void page_audit(struct ctx *c);             /* page_audit.c */
void page_users(struct ctx *c);             /* page_users.c */
void page_users_add(struct ctx *c);         /* page_users.c */
void page_users_disable_get(struct ctx *c); /* page_users.c */
void page_users_disable(struct ctx *c);     /* page_users.c */
void page_users_enable_get(struct ctx *c);  /* page_users.c */
void page_users_enable(struct ctx *c);      /* page_users.c */
void page_users_reset(struct ctx *c);       /* page_users.c */

/* page_setup*.c: the setup tab (issue 16); see page_setup.h */
void page_setup(struct ctx *c);                     /* page_setup.c */
void page_setup_unit_add(struct ctx *c);            /* page_setup.c */
void page_setup_unit_rename(struct ctx *c);         /* page_setup.c */
void page_setup_unit_disable_get(struct ctx *c);    /* page_setup.c */
void page_setup_unit_disable(struct ctx *c);        /* page_setup.c */
void page_setup_counters(struct ctx *c);            /* page_setup_counters.c */
void page_setup_counter_add(struct ctx *c);         /* page_setup_counters.c */
void page_setup_counter_rename(struct ctx *c);      /* page_setup_counters.c */
void page_setup_counter_disable_get(struct ctx *c); /* page_setup_counters.c */
void page_setup_counter_disable(struct ctx *c);     /* page_setup_counters.c */
void page_setup_officers(struct ctx *c);            /* page_setup_officers.c */
void page_setup_officer_add(struct ctx *c);         /* page_setup_officers.c */
void page_setup_officer_disable_get(struct ctx *c); /* page_setup_officers.c */
void page_setup_officer_disable(struct ctx *c);     /* page_setup_officers.c */
void page_setup_duty(struct ctx *c);                /* page_setup_duty.c */
void page_setup_duty_post(struct ctx *c);           /* page_setup_duty.c */
void page_setup_procedures(struct ctx *c);          /* page_setup_proc.c */
void page_setup_procedures_post(struct ctx *c);     /* page_setup_proc.c */
void page_setup_instrument(struct ctx *c);          /* page_setup_instr.c */
void page_setup_instrument_post(struct ctx *c);     /* page_setup_instr.c */

/* page_misc.c: health, static files, the front page */
void page_healthz(struct ctx *c);
void page_static(struct ctx *c);
void page_root(struct ctx *c);

/* api_import.c: the dossier feed and imported ratings (API keys) */
void api_dossiers_post(struct ctx *c);
void api_ratings_post(struct ctx *c);

/* api_metrics.c: a unit's monthly figures */
void api_metrics_get(struct ctx *c);

/* api_reports.c: subordinate units' signed reports */
void api_reports_post(struct ctx *c);
void api_reports_status_get(struct ctx *c);

/* api_duty.c: who is on duty at a counter (API keys, scope "duty") */
void api_duty_post(struct ctx *c);

/* api_links.c: the one-stop system's rating links and served dossiers
 * (API keys, scope "links") */
void api_rating_link_post(struct ctx *c);
void api_serving_post(struct ctx *c);

/* page_reports.c: the console's reports tab */
void page_reports_get(struct ctx *c);
void page_report_status_get(struct ctx *c);
void page_reports_post(struct ctx *c);
void page_reports_file(struct ctx *c);

/* page_alerts.c: who is told of what, and how */
void page_alerts(struct ctx *c);
void page_alerts_post(struct ctx *c);

/* kioskapi.c: the kiosks' API (see include/hailong/wire.h) */
void api_kiosk_enrol(struct ctx *c);
void api_kiosk_ratings(struct ctx *c);
void api_kiosk_heartbeat(struct ctx *c);
void api_kiosk_config(struct ctx *c);
void api_kiosk_serving(struct ctx *c);
void api_kiosks_list(struct ctx *c);

#endif
