/* i18n.h -- the words of every page, Vietnamese first, English too. */
#ifndef HAILONG_I18N_H
#define HAILONG_I18N_H

enum lang { LANG_VI, LANG_EN };

enum msg {
	M_LANG_SWITCH, /* the link to the other language */
	M_LANG_CODE,
	M_FORM_TITLE,
	M_COUNTER_N, /* "Quầy" (before a number) */
	M_PROCEDURE,
	M_CHOOSE_PROCEDURE,
	M_REQUIRED,
	M_DETAIL,
	M_NO_ANSWER,
	M_YES,
	M_NO,
	M_Q_SUPPLEMENT,
	M_Q_ONLINE_ERROR,
	M_Q_VISITS,
	M_COMMENT,
	M_COMMENT_HINT,
	M_CALLBACK,
	M_PHONE,
	M_SUBMIT,
	M_ANONYMOUS,
	M_ERR_SUMMARY,
	M_ERR_LEVEL,
	M_ERR_VALUE,
	M_ERR_VISITS,
	M_ERR_COMMENT_LONG,
	M_ERR_TEXT,
	M_ERR_PHONE,
	M_ERR_CONSENT,
	M_ERR_PROCEDURE,
	M_ERR_PROCEDURE_UNKNOWN,
	M_ERR_HONEYPOT,
	M_ERR_FORM,
	M_THANKS_TITLE,
	M_THANKS_TEXT,
	M_DOSSIER_USED_TITLE,
	M_DOSSIER_USED_TEXT,
	M_BAD_TOKEN_TITLE,
	M_BAD_TOKEN_TEXT,
	M_RATE_TITLE,
	M_RATE_TEXT,
	M_BUSY_TITLE,
	M_BUSY_TEXT,
	M_CONFLICT_TITLE,
	M_CONFLICT_TEXT,
	M_NOT_FOUND_TITLE,
	M_NOT_FOUND_TEXT,
	M_POSTER_TITLE,
	M_POSTER_STEPS,
	M_POSTER_PRIVACY,
	M_DOSSIER_N, /* "Hồ sơ" (before a code) */
	M_INTERNAL_MONITORING,
	M_COUNT
};

/* The text of `m` in `lang` (UTF-8, static). */
const char *tr(enum lang lang, enum msg m);
/* "en" gives LANG_EN; anything else LANG_VI. */
enum lang lang_parse(const char *s);

#endif
