/* served.h -- the dossier the kiosk's counter serves now, as it knows it. */
#ifndef KIOSK_SERVED_H
#define KIOSK_SERVED_H

#include <stdbool.h>
#include <stdint.h>

struct outbox;
struct served;
struct wire_serving;

/*
 * The sender asks the server every few seconds which dossier the counter
 * serves (WIRE_PATH_SERVING, wire.h) and records the answer here; the
 * page shows it ("Hồ sơ đang phục vụ") and binds the next rating to it.
 * A rating bound to serial N, or the page's idle reset while it showed
 * N, consumes it: N is never shown again, also after a restart (the
 * highest consumed serial is kept in the outbox, "serving_consumed").
 * When the server cannot be asked, the kiosk knows of no dossier and
 * takes ratings as it always did.  Thread-safe.
 */

/* New, with what `ob` (borrowed, outlives it) remembers.  served_free(). */
struct served *served_new(struct outbox *ob);
void served_free(struct served *s);

/* The server's answer (a serial at or below the consumed one: none). */
void served_update(struct served *s, const struct wire_serving *w);

/* The server could not be asked: no dossier until it can. */
void served_lost(struct served *s);

/*
 * The dossier to show, if any: true with dossier (65 bytes) and *serial
 * filled, else false.
 */
bool served_get(struct served *s, char dossier[65], int64_t *serial);

/* Serial `serial` was used: never show it (or any below it) again. */
void served_consume(struct served *s, int64_t serial);

#endif
