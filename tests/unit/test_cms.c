/* test_cms.c -- report signatures: sign, verify, tamper, trust, binding. */
#include <sys/stat.h>

#include "hailong/fileio.h"
#include "core/cms.h"
#include "test.h"

static char dir[128], other[128];

static char *
path(const char *d, const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", d, name);
	return p[i];
}

static void
sign_and_verify(void)
{
	static const char report[] = "{\"unit\":\"H21.227\",\"ratings\":42}";
	struct cms_signer who;
	struct buf sig = { 0 };
	char err[512], data[sizeof(report)];

	CHECK_INT(cms_demo_keys("H21.227", dir, 30, err, sizeof(err)), 0);
	CHECK_INT(cms_demo_keys("H21", dir, 30, err, sizeof(err)), 0);
	CHECK_INT(cms_sign(path(dir, "H21.227.key.pem"),
		      path(dir, "H21.227.cert.pem"), report, strlen(report),
		      &sig, err, sizeof(err)),
	    0);
	CHECK(sig.len > 200);
	CHECK_INT(cms_verify(sig.data, sig.len, report, strlen(report),
		      path(dir, "ca.pem"), &who, err, sizeof(err)),
	    0);
	CHECK(strstr(who.subject, "CN=H21.227") != NULL);
	CHECK_INT(strlen(who.fingerprint), 64);
	CHECK(who.not_after > who.not_before);
	CHECK(cms_signer_names_unit(&who, "H21.227"));
	CHECK(!cms_signer_names_unit(&who, "H21"));
	CHECK(!cms_signer_names_unit(&who, "H21.22"));

	/* every single flipped byte of the content is caught */
	for (size_t i = 0; i < strlen(report); i++) {
		memcpy(data, report, sizeof(report));
		data[i] ^= 1;
		CHECK_INT(cms_verify(sig.data, sig.len, data, strlen(report),
			      path(dir, "ca.pem"), &who, err, sizeof(err)),
		    -1);
	}
	/* and every flipped bit pattern of every byte of the signature */
	for (size_t i = 0; i < sig.len; i++) {
		static const unsigned char masks[] = { 0x01, 0x20, 0x80 };

		for (size_t m = 0; m < sizeof(masks); m++) {
			int rc;

			sig.data[i] ^= masks[m];
			rc = cms_verify(sig.data, sig.len, report,
			    strlen(report), path(dir, "ca.pem"), &who, err,
			    sizeof(err));
			sig.data[i] ^= masks[m];
			if (rc != -1)
				FAIL_AT(
				    "flip 0x%02x at byte %zu of %zu verifies",
				    masks[m], i, sig.len);
			test_checks++;
		}
	}
	/* a CA that did not issue the certificate */
	CHECK_INT(cms_demo_keys("H57", other, 30, err, sizeof(err)), 0);
	CHECK_INT(cms_verify(sig.data, sig.len, report, strlen(report),
		      path(other, "ca.pem"), &who, err, sizeof(err)),
	    -1);
	CHECK(strstr(err, "does not verify") != NULL);
	/* a pinned signer certificate is a trust anchor of its own */
	CHECK_INT(cms_verify(sig.data, sig.len, report, strlen(report),
		      path(dir, "H21.227.cert.pem"), &who, err, sizeof(err)),
	    0);
	/* the other unit's pinned certificate is not */
	CHECK_INT(cms_verify(sig.data, sig.len, report, strlen(report),
		      path(dir, "H21.cert.pem"), &who, err, sizeof(err)),
	    -1);
	/* not a signature at all */
	CHECK_INT(cms_verify("garbage", 7, report, strlen(report),
		      path(dir, "ca.pem"), &who, err, sizeof(err)),
	    -1);
	buf_release(&sig);
}

static void
refusals(void)
{
	struct buf sig = { 0 };
	char err[512];

	/* the key of another unit does not match the certificate */
	CHECK_INT(
	    cms_sign(path(dir, "H21.key.pem"), path(dir, "H21.227.cert.pem"),
		"x", 1, &sig, err, sizeof(err)),
	    -1);
	CHECK(strstr(err, "does not belong") != NULL);
	/* a key readable by others is refused */
	chmod(path(dir, "H21.key.pem"), 0644);
	CHECK_INT(cms_sign(path(dir, "H21.key.pem"), path(dir, "H21.cert.pem"),
		      "x", 1, &sig, err, sizeof(err)),
	    -1);
	CHECK(strstr(err, "may be read by others") != NULL);
	CHECK_INT(sig.len, 0);
}

static void
binding(void)
{
	struct cms_signer s = { .nnames = 4 };

	strcpy(s.names[0], "UBND xã Vân Canh (H21.227)");
	strcpy(s.names[1], "urn:hailong:unit:H15.50");
	strcpy(s.names[2], "H26.1001");
	strcpy(s.names[3], "Văn phòng H57.");
	CHECK(cms_signer_names_unit(&s, "H21.227"));
	CHECK(cms_signer_names_unit(&s, "H15.50"));
	CHECK(cms_signer_names_unit(&s, "H57"));
	CHECK(!cms_signer_names_unit(&s, "H21.22"));
	CHECK(!cms_signer_names_unit(&s, "H15"));
	CHECK(!cms_signer_names_unit(&s, "H26.100"));
	CHECK(!cms_signer_names_unit(&s, "H26"));
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "%s", test_tmpdir());
	snprintf(other, sizeof(other), "%s", test_tmpdir());
	RUN(sign_and_verify);
	RUN(refusals);
	RUN(binding);
	return test_report("test_cms");
}
