/* store.h -- the server's database: open, migrate, settings. */
#ifndef HAILONG_STORE_H
#define HAILONG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum store_flags {
	STORE_CREATE = 1 << 0,   /* create the file when missing */
	STORE_READONLY = 1 << 1, /* open without migrating */
};

/* The schema version this binary knows: its highest migration. */
int store_schema_version(void);

/*
 * Open `path` and bring it to this binary's schema (one transaction per
 * migration).  A database newer than the binary is refused.  A new file
 * is created with mode 0600.  New: db_close().  NULL with err filled.
 */
struct db *store_open(const char *path, int flags, char *err, size_t errlen);

/* meta table: get (new string or NULL when absent), set. */
char *store_meta_get(struct db *db, const char *key);
int store_meta_set(struct db *db, const char *key, const char *value);

/*
 * The key for token MACs with this kid, 32 bytes into key; -1 when the
 * kid is unknown or retired.
 */
int store_token_key(struct db *db, int kid, unsigned char key[32]);
/* The newest active kid, or -1. */
int store_current_kid(struct db *db);
/* Add a new random key and return its kid, or -1. */
int store_new_token_key(struct db *db);

/* Whether a unit / procedure / counter exists. */
bool store_has_unit(struct db *db, const char *code);
bool store_has_procedure(struct db *db, const char *code);
bool store_has_counter(struct db *db, const char *unit, int number);
/* Whether `unit` is `ancestor` or below it. */
bool store_unit_within(struct db *db, const char *unit, const char *ancestor);
/*
 * The same for a unit code that may be unknown here (the agency prefix
 * of a dossier code): the unit tree when `unit` is a known unit, else
 * its dot segments (unit_code_is_within()).
 */
bool store_code_within(struct db *db, const char *unit, const char *ancestor);
/*
 * Whether a unit code belongs to this server's tree: a known unit, or
 * below one by its dot segments ("H21.999" where H21 is known).  A
 * ministry's "G01.05" or another province's "H15.50" is not: dossiers
 * passed on from elsewhere carry such codes, and no unit here owns them.
 */
bool store_code_is_local(struct db *db, const char *code);

#endif
