/* cms.c -- report signatures: CMS detached (DER) under X.509 (OpenSSL). */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "hailong/encode.h"
#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/cms.h"

/* The last OpenSSL error as text, after `what`. */
static void
ossl_err(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char why[256];

	if (e != 0) {
		ERR_error_string_n(e, why, sizeof(why));
		snprintf(err, errlen, "%s: %s", what, why);
	} else {
		snprintf(err, errlen, "%s", what);
	}
	ERR_clear_error();
}

static X509 *
read_cert(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	X509 *x;

	if (f == NULL) {
		snprintf(err, errlen, "cannot read certificate '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (x == NULL)
		ossl_err(err, errlen, "not a PEM certificate");
	return x;
}

static EVP_PKEY *
read_key(const char *path, char *err, size_t errlen)
{
	EVP_PKEY *k;
	FILE *f;

	if (!file_is_private(path, err, errlen))
		return NULL;
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read key '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (k == NULL)
		ossl_err(err, errlen,
		    "not a PEM private key (or it is "
		    "encrypted)");
	return k;
}

static int
sign_with(const char *key_path, const char *cert_path, const void *data,
    size_t len, unsigned int extra, struct buf *out, char *err, size_t errlen);

int
cms_sign(const char *key_path, const char *cert_path, const void *data,
    size_t len, struct buf *out, char *err, size_t errlen)
{
	return sign_with(key_path, cert_path, data, len, 0, out, err, errlen);
}

int
cms_sign_cades(const char *key_path, const char *cert_path, const void *data,
    size_t len, struct buf *out, char *err, size_t errlen)
{
	/* CMS_CADES: the ESS signing-certificate-v2 attribute (RFC 5035) */
	return sign_with(
	    key_path, cert_path, data, len, CMS_CADES, out, err, errlen);
}

static int
sign_with(const char *key_path, const char *cert_path, const void *data,
    size_t len, unsigned int extra, struct buf *out, char *err, size_t errlen)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	BIO *in = NULL;
	CMS_ContentInfo *cms = NULL;
	unsigned char *der = NULL;
	int n, rc = -1;

	key = read_key(key_path, err, errlen);
	if (key == NULL)
		goto out;
	cert = read_cert(cert_path, err, errlen);
	if (cert == NULL)
		goto out;
	if (X509_check_private_key(cert, key) != 1) {
		snprintf(err, errlen,
		    "the key '%s' does not belong to the "
		    "certificate '%s'",
		    key_path, cert_path);
		goto out;
	}
	in = BIO_new_mem_buf(data, (int)len);
	/* no S/MIME capabilities attribute: it only lists old ciphers */
	cms = in ? CMS_sign(cert, key, NULL, in,
		       CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | extra)
		 : NULL;
	if (cms == NULL) {
		ossl_err(err, errlen, "cannot sign");
		goto out;
	}
	n = i2d_CMS_ContentInfo(cms, &der);
	if (n <= 0) {
		ossl_err(err, errlen, "cannot encode the signature");
		goto out;
	}
	buf_add(out, der, (size_t)n);
	rc = 0;
out:
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

static int64_t
asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) *
	    86400 +
	    (int64_t)tm.tm_hour * 3600 + (int64_t)tm.tm_min * 60 + tm.tm_sec;
}

#define UNIT_URN "urn:hailong:unit:"

static void
add_name(struct cms_signer *s, const unsigned char *utf8, int len)
{
	char *dst;
	size_t n;

	if (s->nnames == CMS_MAX_NAMES || len <= 0)
		return;
	n = (size_t)len;
	dst = s->names[s->nnames];
	if (n >= sizeof(s->names[0]))
		return;
	memcpy(dst, utf8, n);
	dst[n] = '\0';
	s->nnames++;
}

static void
describe(X509 *x, struct cms_signer *s)
{
	const X509_NAME *subj = X509_get_subject_name(x);
	GENERAL_NAMES *sans;
	unsigned char md[32];
	unsigned int mdlen = sizeof(md);

	memset(s, 0, sizeof(*s));
	X509_NAME_oneline(subj, s->subject, sizeof(s->subject));
	X509_NAME_oneline(
	    X509_get_issuer_name(x), s->issuer, sizeof(s->issuer));
	if (X509_digest(x, EVP_sha256(), md, &mdlen) == 1)
		hex_encode(md, mdlen, s->fingerprint);
	s->not_before = asn1_time(X509_get0_notBefore(x));
	s->not_after = asn1_time(X509_get0_notAfter(x));
	/*
	 * Where a unit may be named: the CN and OU of the subject, and a
	 * URI SAN urn:hailong:unit:CODE.  Not O, L, an e-mail or a DNS
	 * name, which a CA may fill with whatever the applicant wrote.
	 */
	for (int i = 0; i < X509_NAME_entry_count(subj); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(subj, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		unsigned char *utf8 = NULL;
		int n;

		if (nid != NID_commonName && nid != NID_organizationalUnitName)
			continue;
		n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
		add_name(s, utf8, n);
		OPENSSL_free(utf8);
	}
	sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; i < sk_GENERAL_NAME_num(sans); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);
		const char *uri;
		int len;

		if (g->type != GEN_URI)
			continue;
		uri = (const char *)ASN1_STRING_get0_data(g->d.ia5);
		len = ASN1_STRING_length(g->d.ia5);
		if (len > (int)strlen(UNIT_URN) &&
		    strncmp(uri, UNIT_URN, strlen(UNIT_URN)) == 0)
			add_name(s, (const unsigned char *)uri, len);
	}
	GENERAL_NAMES_free(sans);
}

/* Every certificate of a PEM file into the store; how many, or -1. */
static int
load_trust(X509_STORE *store, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	X509 *x;
	int n = 0;

	if (f == NULL) {
		snprintf(err, errlen, "cannot read trust file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		X509_STORE_add_cert(store, x);
		X509_free(x);
		n++;
	}
	ERR_clear_error(); /* the end of the file reads as an error */
	fclose(f);
	if (n == 0)
		snprintf(
		    err, errlen, "no certificate in trust file '%s'", path);
	return n > 0 ? n : -1;
}

/* --- strict structure ----------------------------------------------------- */

/*
 * OpenSSL verifies a SignedData without looking at several fields that
 * are not covered by the signature: the SignedData and SignerInfo
 * versions, the tag of the digestAlgorithms and signerInfos sets, the
 * eContentType, and the case of letters in the signer id's issuer name
 * (names are compared canonically).  A byte flipped there still verifies
 * with 'openssl cms -verify'.  hailong accepts only the one form a
 * hailong signature has, so that no byte of a signature can change
 * unnoticed: the DER must re-encode to itself, and those fields must
 * hold exactly these bytes.
 */
static const unsigned char der_v1[] = { 0x02, 0x01, 0x01 };
static const unsigned char der_sha256_set[] = { 0x31, 0x0d, 0x30, 0x0b, 0x06,
	0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
static const unsigned char der_data_econtent[] = { 0x30, 0x0b, 0x06, 0x09, 0x2a,
	0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
static const unsigned char der_sha256[] = { 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86,
	0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
/* the signature algorithms OpenSSL writes for EC and RSA keys */
static const unsigned char der_ecdsa_sha256[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a,
	0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const unsigned char der_rsa[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
	0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

struct tlv {
	const unsigned char *start; /* the tag */
	const unsigned char *value;
	size_t len;   /* of the value */
	size_t total; /* tag, length and value */
};

/* One DER element at p (at most n bytes); 0 or -1. */
static int
tlv_read(const unsigned char *p, size_t n, struct tlv *t)
{
	size_t hl = 2, len;

	if (n < 2 || (p[0] & 0x1f) == 0x1f)
		return -1;
	len = p[1];
	if (len & 0x80) {
		size_t k = len & 0x7f;

		if (k == 0 || k > 3 || n < 2 + k)
			return -1;
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = len << 8 | p[2 + i];
		hl += k;
	}
	if (len > n - hl)
		return -1;
	t->start = p;
	t->value = p + hl;
	t->len = len;
	t->total = hl + len;
	return 0;
}

static bool
tlv_is(const struct tlv *t, const unsigned char *want, size_t n)
{
	return t->total == n && memcmp(t->start, want, n) == 0;
}

/*
 * The fields OpenSSL overlooks.  Called twice: before anything reaches
 * CMS_verify() (signer NULL: only the one form hailong writes goes on, so
 * OpenSSL's error paths never see odd input), and after it with the
 * verified signer, whose issuer, serial and key type the signer id and
 * signature algorithm must match exactly.
 */
static int
strict_structure(const unsigned char *sig, size_t siglen, X509 *signer)
{
	struct tlv ci, oid, wrap, sd, f, infos, si, ver, sid;
	const unsigned char *p, *end;
	unsigned char *want = NULL, *w;
	int issuer_len, serial_len, rc = -1;

	if (tlv_read(sig, siglen, &ci) < 0 || ci.start[0] != 0x30 ||
	    ci.total != siglen || tlv_read(ci.value, ci.len, &oid) < 0 ||
	    tlv_read(oid.start + oid.total, ci.len - oid.total, &wrap) < 0 ||
	    wrap.start[0] != 0xa0 || tlv_read(wrap.value, wrap.len, &sd) < 0 ||
	    sd.start[0] != 0x30)
		return -1;
	p = sd.value;
	end = sd.value + sd.len;
	/* version 1, digestAlgorithms {sha256}, eContentInfo {id-data} */
	if (tlv_read(p, (size_t)(end - p), &f) < 0 ||
	    !tlv_is(&f, der_v1, sizeof(der_v1)))
		return -1;
	p += f.total;
	if (tlv_read(p, (size_t)(end - p), &f) < 0 ||
	    !tlv_is(&f, der_sha256_set, sizeof(der_sha256_set)))
		return -1;
	p += f.total;
	if (tlv_read(p, (size_t)(end - p), &f) < 0 ||
	    !tlv_is(&f, der_data_econtent, sizeof(der_data_econtent)))
		return -1;
	p += f.total;
	/* [0] certificates: checked by the chain; no [1] CRLs */
	if (tlv_read(p, (size_t)(end - p), &f) < 0 || f.start[0] != 0xa0)
		return -1;
	p += f.total;
	/* exactly one SignerInfo, version 1, sid = the cert's issuer+serial */
	if (tlv_read(p, (size_t)(end - p), &infos) < 0 ||
	    infos.start[0] != 0x31 || p + infos.total != end ||
	    tlv_read(infos.value, infos.len, &si) < 0 || si.start[0] != 0x30 ||
	    si.total != infos.len || tlv_read(si.value, si.len, &ver) < 0 ||
	    !tlv_is(&ver, der_v1, sizeof(der_v1)) ||
	    tlv_read(si.value + ver.total, si.len - ver.total, &sid) < 0 ||
	    sid.start[0] != 0x30)
		return -1;
	if (signer == NULL)
		goto rest;
	issuer_len = i2d_X509_NAME(X509_get_issuer_name(signer), NULL);
	serial_len = i2d_ASN1_INTEGER(X509_get_serialNumber(signer), NULL);
	if (issuer_len <= 0 || serial_len <= 0 ||
	    ((size_t)issuer_len + (size_t)serial_len) != sid.len ||
	    sid.start[0] != 0x30)
		return -1;
	want = xmalloc(((size_t)issuer_len + (size_t)serial_len));
	w = want;
	i2d_X509_NAME(X509_get_issuer_name(signer), &w);
	i2d_ASN1_INTEGER(X509_get_serialNumber(signer), &w);
	if (memcmp(sid.value, want, sid.len) != 0)
		goto out;
rest:
	/* digest sha256, [0] signed attributes, the key's algorithm, the
	 * signature, and nothing after it (no unsigned attributes) */
	p = sid.start + sid.total;
	end = si.value + si.len;
	if (tlv_read(p, (size_t)(end - p), &f) < 0 ||
	    !tlv_is(&f, der_sha256, sizeof(der_sha256)))
		goto out;
	p += f.total;
	if (tlv_read(p, (size_t)(end - p), &f) < 0 || f.start[0] != 0xa0)
		goto out;
	p += f.total;
	if (tlv_read(p, (size_t)(end - p), &f) < 0)
		goto out;
	if (signer == NULL
		? !tlv_is(&f, der_ecdsa_sha256, sizeof(der_ecdsa_sha256)) &&
		    !tlv_is(&f, der_rsa, sizeof(der_rsa))
		: EVP_PKEY_get_base_id(X509_get0_pubkey(signer)) == EVP_PKEY_EC
		? !tlv_is(&f, der_ecdsa_sha256, sizeof(der_ecdsa_sha256))
		: !tlv_is(&f, der_rsa, sizeof(der_rsa)))
		goto out;
	p += f.total;
	if (tlv_read(p, (size_t)(end - p), &f) < 0 || f.start[0] != 0x04 ||
	    p + f.total != end)
		goto out;
	rc = 0;
out:
	free(want);
	return rc;
}

/*
 * The signer's certificate chains to the trust store, valid now, for any
 * purpose; err gets X.509's own reason ("certificate has expired").
 */
static int
check_chain(X509_STORE *store, CMS_ContentInfo *cms, X509 *signer, char *err,
    size_t errlen)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	int rc = -1;

	if (ctx == NULL || X509_STORE_CTX_init(ctx, store, signer, certs) != 1)
		goto out;
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
	if (X509_verify_cert(ctx) == 1) {
		rc = 0;
	} else {
		int e = X509_STORE_CTX_get_error(ctx);

		snprintf(err, errlen,
		    "the signer's certificate does not "
		    "verify: %s",
		    X509_verify_cert_error_string(e));
	}
out:
	if (rc < 0 && err[0] == '\0')
		ossl_err(err, errlen, "cannot check the certificate");
	sk_X509_pop_free(certs, X509_free);
	X509_STORE_CTX_free(ctx);
	return rc;
}

/* Whether the parsed structure encodes back to exactly these bytes. */
static bool
is_canonical(CMS_ContentInfo *cms, const void *sig, size_t siglen)
{
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(cms, &der);
	bool same =
	    n > 0 && (size_t)n == siglen && memcmp(der, sig, siglen) == 0;

	OPENSSL_free(der);
	return same;
}

int
cms_verify(const void *sig, size_t siglen, const void *data, size_t len,
    const char *trust_path, struct cms_signer *signer, char *err, size_t errlen)
{
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	STACK_OF(X509) *signers = NULL;
	BIO *content = NULL;
	int rc = -1;

	memset(signer, 0, sizeof(*signer));
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)siglen);
	if (cms == NULL || p != (const unsigned char *)sig + siglen) {
		ossl_err(err, errlen,
		    "the signature is not one DER CMS "
		    "structure");
		goto out;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    CMS_is_detached(cms) != 1) {
		snprintf(err, errlen, "not a detached CMS SignedData");
		goto out;
	}
	if (!is_canonical(cms, sig, siglen) ||
	    strict_structure(sig, siglen, NULL) < 0) {
		snprintf(err, errlen,
		    "not the signature form hailong writes "
		    "(altered, or made by other software)");
		goto out;
	}
	store = X509_STORE_new();
	if (store == NULL || load_trust(store, trust_path, err, errlen) < 0)
		goto out;
	/* a pinned signer certificate is an anchor too, not only roots */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	/* the signature over the content first, then the certificate */
	content = BIO_new_mem_buf(data, (int)len);
	if (content == NULL ||
	    CMS_verify(cms, NULL, store, content, NULL,
		CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		ossl_err(err, errlen,
		    "the signature does not verify over "
		    "this content");
		goto out;
	}
	signers = CMS_get0_signers(cms);
	if (sk_X509_num(signers) != 1) {
		snprintf(err, errlen, "expected exactly one signer, found %d",
		    sk_X509_num(signers));
		goto out;
	}
	if (check_chain(store, cms, sk_X509_value(signers, 0), err, errlen) < 0)
		goto out;
	if (strict_structure(sig, siglen, sk_X509_value(signers, 0)) < 0) {
		snprintf(err, errlen,
		    "the signature verifies but its "
		    "unsigned fields were altered (not the form hailong "
		    "writes)");
		goto out;
	}
	describe(sk_X509_value(signers, 0), signer);
	rc = 0;
out:
	sk_X509_free(signers);
	BIO_free(content);
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	return rc;
}

static bool
is_token_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.';
}

bool
cms_signer_names_unit(const struct cms_signer *s, const char *unit)
{
	size_t ulen = strlen(unit);

	for (int i = 0; i < s->nnames; i++) {
		const char *n = s->names[i];

		for (const char *hit = strstr(n, unit); hit != NULL;
		     hit = strstr(hit + 1, unit)) {
			char after = hit[ulen];

			/* "H21.227." ends a sentence; "H21.2270" is another */
			if (after == '.' && !is_token_char(hit[ulen + 1]))
				after = '\0';
			if ((hit == n || !is_token_char(hit[-1])) &&
			    !is_token_char(after))
				return true;
		}
	}
	return false;
}

/* --- the demo PKI -------------------------------------------------------- */

static int
add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (ext == NULL)
		return -1;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1 ? 0 : -1;
}

static X509 *
make_cert(EVP_PKEY *key, const char *cn, const char *org, X509 *issuer,
    EVP_PKEY *issuer_key, int days, bool ca, const char *san)
{
	X509 *x = X509_new();
	X509_NAME *name;
	unsigned char serial[16];
	BIGNUM *bn = NULL;

	if (x == NULL)
		return NULL;
	RAND_bytes(serial, sizeof(serial));
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (X509_set_version(x, 2) != 1 || bn == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL)
		goto fail;
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(
	    name, "O", MBSTRING_UTF8, (const unsigned char *)org, -1, -1, 0);
	X509_NAME_add_entry_by_txt(
	    name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	if (X509_set_issuer_name(
		x, issuer != NULL ? X509_get_subject_name(issuer) : name) != 1)
		goto fail;
	/* a minute of slack for clocks that are a little behind */
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400);
	if (X509_set_pubkey(x, key) != 1)
		goto fail;
	if (add_ext(x, issuer ? issuer : x, NID_basic_constraints,
		ca ? "critical,CA:TRUE" : "critical,CA:FALSE") < 0 ||
	    add_ext(x, issuer ? issuer : x, NID_key_usage,
		ca ? "critical,keyCertSign,cRLSign"
		   : "critical,digitalSignature,nonRepudiation") < 0 ||
	    add_ext(x, issuer ? issuer : x, NID_subject_key_identifier,
		"hash") < 0 ||
	    (issuer != NULL &&
		add_ext(x, issuer, NID_authority_key_identifier, "keyid") <
		    0) ||
	    (san != NULL &&
		add_ext(x, issuer ? issuer : x, NID_subject_alt_name, san) < 0))
		goto fail;
	if (X509_sign(x, issuer_key, EVP_sha256()) <= 0)
		goto fail;
	BN_free(bn);
	return x;
fail:
	BN_free(bn);
	X509_free(x);
	return NULL;
}

static int
write_pem(const char *path, X509 *cert, EVP_PKEY *key, char *err, size_t errlen)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long n;
	int rc = -1;

	if (b == NULL)
		return -1;
	if ((cert != NULL && PEM_write_bio_X509(b, cert) != 1) ||
	    (key != NULL &&
		PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL) !=
		    1)) {
		ossl_err(err, errlen, "cannot encode PEM");
		goto out;
	}
	n = BIO_get_mem_data(b, &data);
	rc = file_write_atomic(
	    path, data, (size_t)n, key ? 0600 : 0644, err, errlen);
out:
	BIO_free(b);
	return rc;
}

static EVP_PKEY *
read_key_quiet(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;

	if (f == NULL)
		return NULL;
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return k;
}

int
cms_demo_keys(
    const char *unit, const char *dir, int days, char *err, size_t errlen)
{
	char ca_cert[1024], ca_key[1024], key_path[1024], cert_path[1024];
	char san[128];
	EVP_PKEY *cakey = NULL, *key = NULL;
	X509 *ca = NULL, *cert = NULL;
	int rc = -1;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(
		    err, errlen, "cannot make '%s': %s", dir, strerror(errno));
		return -1;
	}
	snprintf(ca_cert, sizeof(ca_cert), "%s/ca.pem", dir);
	snprintf(ca_key, sizeof(ca_key), "%s/ca.key.pem", dir);
	snprintf(key_path, sizeof(key_path), "%s/%s.key.pem", dir, unit);
	snprintf(cert_path, sizeof(cert_path), "%s/%s.cert.pem", dir, unit);
	if (access(ca_cert, F_OK) == 0) {
		/* the same root for every unit made here */
		cakey = read_key_quiet(ca_key);
		ca = read_cert(ca_cert, err, errlen);
		if (cakey == NULL || ca == NULL) {
			if (cakey == NULL)
				snprintf(err, errlen,
				    "'%s' exists but its key "
				    "'%s' cannot be read",
				    ca_cert, ca_key);
			goto out;
		}
	} else {
		cakey = EVP_EC_gen("P-256");
		ca = cakey ? make_cert(cakey,
				 "hailong demo CA (không dùng "
				 "thật)",
				 "hailong demo", NULL, cakey, 3650, true, NULL)
			   : NULL;
		if (ca == NULL) {
			ossl_err(err, errlen, "cannot make the demo CA");
			goto out;
		}
		if (write_pem(ca_key, NULL, cakey, err, errlen) < 0 ||
		    write_pem(ca_cert, ca, NULL, err, errlen) < 0)
			goto out;
	}
	key = EVP_EC_gen("P-256");
	snprintf(san, sizeof(san), "URI:urn:hailong:unit:%s", unit);
	cert = key
	    ? make_cert(key, unit, "hailong demo", ca, cakey, days, false, san)
	    : NULL;
	if (cert == NULL) {
		ossl_err(err, errlen, "cannot make the unit's certificate");
		goto out;
	}
	if (write_pem(key_path, NULL, key, err, errlen) < 0 ||
	    write_pem(cert_path, cert, NULL, err, errlen) < 0)
		goto out;
	rc = 0;
out:
	X509_free(cert);
	X509_free(ca);
	EVP_PKEY_free(key);
	EVP_PKEY_free(cakey);
	return rc;
}
