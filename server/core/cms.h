/* cms.h -- report signatures: CMS detached (DER) under X.509 (OpenSSL). */
#ifndef HAILONG_CMS_H
#define HAILONG_CMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/buf.h"

#define CMS_MAX_NAMES 24

/* Who signed, as the certificate says. */
struct cms_signer {
	char subject[512]; /* RFC 2253, one line */
	char issuer[512];
	char fingerprint[65]; /* SHA-256 of the DER certificate, hex */
	int64_t not_before, not_after;
	/* every subject attribute value and DNS/URI/e-mail SAN, UTF-8 */
	int nnames;
	char names[CMS_MAX_NAMES][256];
};

/*
 * Sign data with the key and certificate in PEM files: a CMS SignedData,
 * detached (the content is not inside), binary (no MIME), SHA-256,
 * carrying the signer's certificate, DER into out.  The key file must be
 * private (mode 0600).  Verifies with stock OpenSSL:
 *	openssl cms -verify -binary -inform DER -in SIG -content DATA \
 *	    -CAfile ca.pem -purpose any
 * 0, or -1 with err filled.
 */
int cms_sign(const char *key_path, const char *cert_path, const void *data,
    size_t len, struct buf *out, char *err, size_t errlen);

/*
 * The same with the ESS signing-certificate-v2 attribute (CAdES-BES, as
 * PAdES baseline B asks of a PDF signature's CMS).  OpenSSL also adds a
 * signing-time attribute, which PAdES B-B would leave out; readers
 * (pdfsig) accept it.
 */
int cms_sign_cades(const char *key_path, const char *cert_path,
    const void *data, size_t len, struct buf *out, char *err, size_t errlen);

/*
 * Check a detached DER signature over data: the signature itself, and the
 * signer's certificate chain to `trust_path`, a PEM file holding CA
 * certificates or pinned signer certificates (any certificate in it is a
 * trust anchor), valid now, for any purpose.  Fills *signer.  0 when
 * everything holds, else -1 with err saying which part failed.
 */
int cms_verify(const void *sig, size_t siglen, const void *data, size_t len,
    const char *trust_path, struct cms_signer *signer, char *err,
    size_t errlen);

/*
 * Whether the certificate names the unit: its subject's CN or OU, or a
 * URI SAN urn:hailong:unit:..., in which `unit` is a whole token ("H21.227", "UBND xã Vân Canh (H21.227)",
 * "urn:hailong:unit:H21.227"; not "H21.2270").
 */
bool cms_signer_names_unit(const struct cms_signer *s, const char *unit);

/*
 * A demo PKI in dir: a CA (dir/ca.pem, dir/ca.key.pem, made once and
 * reused, so every unit's certificate chains to one root) and an ECDSA
 * P-256 key and certificate for the unit (dir/UNIT.key.pem,
 * dir/UNIT.cert.pem) with the unit code in the subject CN and a SAN
 * urn:hailong:unit:UNIT, valid `days` days.  Keys are written 0600.
 * 0 or -1 with err.
 */
int cms_demo_keys(
    const char *unit, const char *dir, int days, char *err, size_t errlen);

#endif
