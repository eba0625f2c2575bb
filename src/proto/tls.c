/* tls.c: the server certificate's subject and issuer (OpenSSL X509 parsing; no I/O).
 *
 * Names print as RFC 2253/4514 text in OpenSSL's XN_FLAG_RFC2253 form (last RDN first, so a
 * conventional certificate reads CN first), with UTF-8 kept as UTF-8 rather than \XX escapes:
 * device names carry non-ASCII (no-break spaces in Dahua's CA names). */
#include "tls.h"

#include <openssl/bio.h>
#include <openssl/x509.h>
#include <string.h>

#include "../core/err.h"

static void name_text(const X509_NAME *n, char *out, size_t cap)
{
    out[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return;
    unsigned long flags = XN_FLAG_RFC2253 & ~(unsigned long)ASN1_STRFLGS_ESC_MSB;
    if (X509_NAME_print_ex(b, n, 0, flags) >= 0) {
        char *p;
        long len = BIO_get_mem_data(b, &p);
        size_t k = len > 0 ? (size_t)len : 0;
        if (k >= cap)
            k = cap - 1;
        memcpy(out, p, k);
        out[k] = '\0';
    }
    BIO_free(b);
}

int tls_cert_names(const uint8_t *der, size_t len, char *subject, size_t scap, char *issuer,
                   size_t icap)
{
    const unsigned char *p = der;
    if (len > 1024 * 1024)
        return UNMASK_EPARSE;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (!x)
        return UNMASK_EPARSE;
    name_text(X509_get_subject_name(x), subject, scap);
    name_text(X509_get_issuer_name(x), issuer, icap);
    X509_free(x);
    return UNMASK_OK;
}

void tls_observe_cert(struct probe_host *h, int port, const uint8_t *der, size_t len)
{
    char subject[1024], issuer[1024];
    if (tls_cert_names(der, len, subject, sizeof subject, issuer, sizeof issuer) < 0)
        return;
    if (subject[0])
        probe_obss(h, "tls.subject", subject, NULL, port);
    if (issuer[0])
        probe_obss(h, "tls.issuer", issuer, NULL, port);
}
