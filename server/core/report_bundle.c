/*
 * report_bundle.c -- the evidence a unit uploads: one zip of its signed
 * report.  The only file that includes libzip (README "One door per
 * library").
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <zip.h>

#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/fmt.h"
#include "core/report.h"
#include "core/report_pdf.h"

static const char *const files[] = { "report.signed.pdf", "report.json",
	"report.json.p7s", "report.csv", "report.xlsx" };

static const char readme[] =
    "BÁO CÁO CÓ CHỮ KÝ SỐ — HƯỚNG DẪN KIỂM TRA\r\n"
    "\r\n"
    "Đơn vị: %s (mã định danh %s)\r\n"
    "Kỳ báo cáo: %s\r\n"
    "Số liệu tính đến: %s\r\n"
    "\r\n"
    "Các tệp trong gói:\r\n"
    "  report.signed.pdf  báo cáo để đọc, in và lưu, có chữ ký số PDF\r\n"
    "  report.json        số liệu của báo cáo (dạng máy đọc)\r\n"
    "  report.json.p7s    chữ ký số (CMS) trên đúng các byte của "
    "report.json\r\n"
    "  report.csv         số liệu dạng bảng (UTF-8), mở bằng Excel\r\n"
    "  report.xlsx        số liệu dạng bảng tính\r\n"
    "\r\n"
    "1. Kiểm tra chữ ký của tệp PDF (gói poppler-utils):\r\n"
    "     pdfsig report.signed.pdf\r\n"
    "   Kết quả đúng: \"Signature Validation: Signature is Valid.\" và\r\n"
    "   \"Total document signed\". Nếu chứng thư do CA riêng của đơn vị "
    "cấp,\r\n"
    "   pdfsig có thể báo \"Certificate issuer is unknown\": khi đó kiểm "
    "tra\r\n"
    "   chứng thư bằng bước 2 với tệp CA của cấp trên.\r\n"
    "   Phần mềm đọc PDF (Adobe Acrobat Reader, Foxit) hiển thị chữ ký "
    "trong\r\n"
    "   bảng \"Chữ ký\" (Signatures).\r\n"
    "\r\n"
    "2. Kiểm tra chữ ký của report.json bằng OpenSSL (ca.pem: chứng thư "
    "của\r\n"
    "   tổ chức cấp chứng thư số cho đơn vị):\r\n"
    "     openssl cms -verify -binary -inform DER -in report.json.p7s \\\r\n"
    "         -content report.json -CAfile ca.pem -purpose any -out "
    "/dev/null\r\n"
    "   Kết quả đúng: \"CMS Verification successful\".\r\n"
    "\r\n"
    "3. Kiểm tra bằng hailong (chữ ký, chứng thư, đơn vị, cấu trúc số "
    "liệu,\r\n"
    "   chữ ký PDF):\r\n"
    "     hailong report verify THƯ_MỤC_GIẢI_NÉN --ca ca.pem\r\n"
    "\r\n"
    "Chỉ cần thay đổi một byte của bất kỳ tệp nào đã ký, các lệnh trên "
    "đều\r\n"
    "báo chữ ký không hợp lệ.\r\n";

static bool
exists(const char *dir, const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, R_OK) == 0;
}

/* What dir lacks to be a signed report (NULL: nothing). */
static const char *
lacking(const char *dir)
{
	if (!exists(dir, "report.json"))
		return "it holds no report.json: not a report directory "
		       "(hailong report build --out DIR)";
	if (!exists(dir, "report.json.p7s") ||
	    !exists(dir, "report.signed.pdf"))
		return "the report is not signed (report.json.p7s or "
		       "report.signed.pdf missing): hailong report sign "
		       "--key KEY.pem --cert CERT.pem DIR";
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (!exists(dir, files[i]))
			return "a file of the report is missing (report.csv or "
			       "report.xlsx): build the report again";
	return NULL;
}

int
report_bundle(const char *dir, const char *out, char *err, size_t errlen)
{
	char path[1024], tmp[1100], zerr[256], when[17];
	const char *why = lacking(dir), *unit, *unit_name, *month, *as_of_s;
	struct buf text = { 0 };
	json_t *doc = NULL;
	zip_t *z = NULL;
	char *json = NULL;
	size_t len;
	int64_t as_of = 0;
	char period[FMT_MAX];
	int fd, zerrno, rc = -1;

	if (why != NULL) {
		snprintf(err, errlen, "'%s': %s", dir, why);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/report.json", dir);
	json = file_read(path, REPORT_JSON_MAX, &len, err, errlen);
	if (json == NULL)
		return -1;
	if (report_check(json, len, &doc, err, errlen) < 0) {
		char why2[512];

		strlcpy_hl(why2, err, sizeof(why2));
		snprintf(err, errlen, "'%s': report.json is not a report: %s",
		    path, why2);
		goto out;
	}
	unit = json_string_value(json_object_get(doc, "unit"));
	unit_name = json_string_value(json_object_get(doc, "unit_name"));
	month = json_string_value(json_object_get(doc, "month"));
	as_of_s = json_string_value(json_object_get(doc, "as_of"));
	if (as_of_s != NULL)
		rfc3339_parse(as_of_s, strlen(as_of_s), &as_of);
	datetime_vn(as_of, when);
	report_period_words(month, period);
	buf_printf(&text, readme, unit_name ? unit_name : "", unit ? unit : "",
	    period, when);

	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", out);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create '%s': %s", tmp,
		    strerror(errno));
		goto out;
	}
	close(fd);
	z = zip_open(tmp, ZIP_TRUNCATE, &zerrno);
	if (z == NULL) {
		zip_error_t ze;

		zip_error_init_with_code(&ze, zerrno);
		snprintf(err, errlen, "cannot write '%s': %s", tmp,
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto fail;
	}
	for (size_t i = 0; i < ARRAY_SIZE(files) + 1; i++) {
		zip_source_t *src;
		zip_int64_t idx;
		const char *name =
		    i < ARRAY_SIZE(files) ? files[i] : "README.txt";

		if (i < ARRAY_SIZE(files)) {
			snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
			src = zip_source_file(z, path, 0, -1);
		} else {
			src = zip_source_buffer(z, text.data, text.len, 0);
		}
		idx = src != NULL ? zip_file_add(z, name, src,
					ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)
				  : -1;
		if (idx < 0) {
			zip_source_free(src);
			snprintf(zerr, sizeof(zerr), "%s", zip_strerror(z));
			snprintf(
			    err, errlen, "cannot add '%s': %s", name, zerr);
			goto fail;
		}
		/* the report's instant, not the files' */
		zip_file_set_mtime(z, (zip_uint64_t)idx, (time_t)as_of, 0);
	}
	if (zip_close(z) < 0) {
		snprintf(
		    err, errlen, "cannot write '%s': %s", out, zip_strerror(z));
		zip_discard(z);
		z = NULL;
		goto fail;
	}
	z = NULL;
	if (rename(tmp, out) < 0) {
		snprintf(
		    err, errlen, "cannot write '%s': %s", out, strerror(errno));
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	if (z != NULL)
		zip_discard(z);
	unlink(tmp);
out:
	buf_release(&text);
	json_decref(doc);
	free(json);
	return rc;
}
