/* wavdown.c -- a build tool: espeak-ng's WAV to a small 16 kHz mono one. */
/*
 * Usage: wavdown IN.wav OUT.wav
 * IN is 16-bit PCM mono (espeak-ng writes 22 050 Hz).  OUT is 16-bit PCM
 * mono at 16 000 Hz, low-passed (windowed sinc) before resampling, with
 * the silence before and after the speech trimmed to 60 ms.  Plain C,
 * no library: the kiosk's spoken prompts are made at build time.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_RATE 16000
#define TAPS 32     /* half-width of the sinc, in input samples */
#define SILENCE 200 /* |sample| at or below: silence */
#define MARGIN_MS 60

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8 & 0xff;
	p[2] = v >> 16 & 0xff;
	p[3] = v >> 24 & 0xff;
}

static void
put16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8 & 0xff;
}

static int
fail(const char *what, const char *path)
{
	fprintf(stderr, "wavdown: %s: %s\n", path, what);
	return 1;
}

int
main(int argc, char **argv)
{
	FILE *f;
	unsigned char *data = NULL, hdr[44];
	long size;
	size_t pos, n = 0, m, first, last, margin;
	const int16_t *in = NULL;
	int16_t *s, *out;
	uint32_t rate = 0;
	double ratio, cutoff;

	if (argc != 3) {
		fprintf(stderr, "usage: wavdown IN.wav OUT.wav\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (f == NULL)
		return fail("cannot read", argv[1]);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 44) {
		fclose(f);
		return fail("cannot read, or too short", argv[1]);
	}
	rewind(f);
	data = malloc((size_t)size);
	if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(data);
		return fail("cannot read", argv[1]);
	}
	fclose(f);
	if (memcmp(data, "RIFF", 4) != 0 || memcmp(data + 8, "WAVE", 4) != 0) {
		free(data);
		return fail("not a RIFF/WAVE file", argv[1]);
	}
	/* walk the chunks: "fmt " then "data" (espeak-ng's size fields may
	 * be 0x7fffffff when it wrote to a pipe: bounded by the file) */
	for (pos = 12; pos + 8 <= (size_t)size;) {
		uint32_t len = le32(data + pos + 4);
		size_t avail = (size_t)size - pos - 8;

		if (len > avail)
			len = (uint32_t)avail;
		if (memcmp(data + pos, "fmt ", 4) == 0 && len >= 16) {
			if (le16(data + pos + 8) != 1 ||
			    le16(data + pos + 10) != 1 ||
			    le16(data + pos + 22) != 16)
				return fail("not 16-bit PCM mono", argv[1]);
			rate = le32(data + pos + 12);
		} else if (memcmp(data + pos, "data", 4) == 0) {
			in = (const int16_t *)(data + pos + 8);
			n = len / 2;
			break;
		}
		pos += 8 + len + (len & 1);
	}
	if (in == NULL || rate < 8000)
		return fail("no PCM data", argv[1]);
	s = malloc((n + 1) * sizeof(*s));
	if (s == NULL)
		return fail("out of memory", argv[1]);
	for (size_t i = 0; i < n; i++)
		s[i] = (int16_t)le16((const unsigned char *)(in + i));
	/* trim the silence around the speech, leaving a short margin */
	margin = (size_t)rate * MARGIN_MS / 1000;
	for (first = 0; first < n && abs(s[first]) <= SILENCE; first++)
		;
	for (last = n; last > first && abs(s[last - 1]) <= SILENCE; last--)
		;
	if (first >= last)
		return fail("only silence", argv[1]);
	first = first > margin ? first - margin : 0;
	last = last + margin < n ? last + margin : n;
	/* resample with a Hann-windowed sinc below the new Nyquist */
	ratio = (double)rate / OUT_RATE;
	cutoff = ratio > 1.0 ? 0.95 / ratio : 0.95;
	m = (size_t)((double)(last - first) / ratio);
	out = malloc((m + 1) * sizeof(*out));
	if (out == NULL)
		return fail("out of memory", argv[1]);
	for (size_t j = 0; j < m; j++) {
		double t = first + j * ratio, acc = 0.0, norm = 0.0;
		long c = (long)floor(t);

		for (long k = c - TAPS + 1; k <= c + TAPS; k++) {
			double x = t - (double)k, w, h;

			if (k < (long)first || k >= (long)last)
				continue;
			w = 0.5 + 0.5 * cos(M_PI * x / TAPS);
			h = x == 0.0 ? cutoff
				     : sin(M_PI * cutoff * x) / (M_PI * x);
			acc += h * w * s[k];
			norm += h * w;
		}
		acc = norm != 0.0 ? acc / norm : 0.0;
		out[j] = (int16_t)(acc > 32767 ? 32767
			: acc < -32768         ? -32768
					       : lrint(acc));
	}
	memcpy(hdr, "RIFF", 4);
	put32(hdr + 4, (uint32_t)(36 + m * 2));
	memcpy(hdr + 8, "WAVEfmt ", 8);
	put32(hdr + 16, 16);
	put16(hdr + 20, 1);
	put16(hdr + 22, 1);
	put32(hdr + 24, OUT_RATE);
	put32(hdr + 28, OUT_RATE * 2);
	put16(hdr + 32, 2);
	put16(hdr + 34, 16);
	memcpy(hdr + 36, "data", 4);
	put32(hdr + 40, (uint32_t)(m * 2));
	f = fopen(argv[2], "wb");
	if (f == NULL || fwrite(hdr, 1, 44, f) != 44)
		return fail("cannot write", argv[2]);
	for (size_t j = 0; j < m; j++) {
		unsigned char b[2];

		put16(b, (uint16_t)out[j]);
		if (fwrite(b, 1, 2, f) != 2)
			return fail("cannot write", argv[2]);
	}
	if (fclose(f) != 0)
		return fail("cannot write", argv[2]);
	free(out);
	free(s);
	free(data);
	return 0;
}
