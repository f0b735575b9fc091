/* clock.h -- the kiosk's time: its own clock corrected by the server's. */
#ifndef KIOSK_CLOCK_H
#define KIOSK_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A counter device's clock may be minutes or years off (no battery, no
 * NTP on the LAN).  Every answer from the server carries a Date header;
 * the sender feeds it here, and ratings and signatures use the corrected
 * time.  The offset is process-wide (atomic), so the page and the sender
 * agree; it is saved in the outbox so an offline start keeps it.
 */

/* The local wall clock in milliseconds (CLOCK_REALTIME), uncorrected. */
int64_t clock_local_ms(void);
/* The corrected time in milliseconds and in seconds. */
int64_t clock_now_ms(void);
int64_t clock_now(void);

/* The offset in use (server minus local, ms). */
int64_t clock_offset_ms(void);
void clock_set_offset_ms(int64_t ms);

/*
 * The server said `date` (Unix seconds, 1 s resolution) in an answer to
 * a request sent at local time `sent_ms` and answered at `recv_ms`.
 * Adopt the implied offset when it differs from the one in use by more
 * than the Date header's resolution can explain (2 s).  True when the
 * offset changed (the caller saves it).
 */
bool clock_observe(int64_t date, int64_t sent_ms, int64_t recv_ms);

#endif
