/* clock.c -- the kiosk's time: its own clock corrected by the server's. */
#include <stdatomic.h>
#include <time.h>

#include "clock.h"

#define CLOCK_TOLERANCE_MS 2000

static atomic_int_fast64_t offset_ms;

int64_t
clock_local_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_now_ms(void)
{
	return clock_local_ms() + atomic_load(&offset_ms);
}

int64_t
clock_now(void)
{
	int64_t ms = clock_now_ms();

	return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

int64_t
clock_offset_ms(void)
{
	return atomic_load(&offset_ms);
}

void
clock_set_offset_ms(int64_t ms)
{
	atomic_store(&offset_ms, ms);
}

bool
clock_observe(int64_t date, int64_t sent_ms, int64_t recv_ms)
{
	/* the server's second began somewhere in [date, date+1) */
	int64_t server_ms = date * 1000 + 500;
	int64_t local_ms = sent_ms + (recv_ms - sent_ms) / 2;
	int64_t want = server_ms - local_ms, have = atomic_load(&offset_ms);
	int64_t diff = want > have ? want - have : have - want;

	if (diff <= CLOCK_TOLERANCE_MS)
		return false;
	atomic_store(&offset_ms, want);
	return true;
}
