/* lab_tls.c: see lab_tls.h. */
#include "lab_tls.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/xalloc.h"
#include "lab-int.h"

struct cert_entry {
    char *key; /* expanded subject "\n" issuer */
    SSL_CTX *ctx;
};

struct lab_tls {
    EVP_PKEY **keys;    /* per pinfo: the device key */
    EVP_PKEY **ca_keys; /* per pinfo: the issuer's key, when the issuer differs from the subject */
    struct cert_entry *tab;
    size_t cap, n;      /* open addressing, cap a power of two */
};

void *lab_tls_name(const char *s)
{
    X509_NAME *name = X509_NAME_new();
    char field[64], value[1024];
    size_t i = 0, n = strlen(s);
    if (n == 0 || s[0] != '/') {
        X509_NAME_free(name);
        return NULL;
    }
    while (i < n) {
        i++; /* the slash */
        size_t fl = 0, vl = 0;
        while (i < n && s[i] != '=' && fl < sizeof field - 1)
            field[fl++] = s[i++];
        field[fl] = '\0';
        if (i >= n || s[i] != '=' || !fl) {
            X509_NAME_free(name);
            return NULL;
        }
        i++;
        while (i < n && s[i] != '/' && vl < sizeof value - 1) {
            if (s[i] == '\\' && i + 1 < n && s[i + 1] == '/')
                i++;
            value[vl++] = s[i++];
        }
        value[vl] = '\0';
        if (!X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, (const unsigned char *)value,
                                        (int)vl, -1, 0)) {
            X509_NAME_free(name);
            ERR_clear_error();
            return NULL;
        }
    }
    return name;
}

static EVP_PKEY *ec_key(void)
{
    EVP_PKEY *k = EVP_EC_gen("P-256");
    if (!k)
        log_error("lab: TLS: EC key generation failed");
    return k;
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

static SSL_CTX *make_ctx(EVP_PKEY *key, EVP_PKEY *ca_key, const char *subj, const char *iss)
{
    X509_NAME *sn = lab_tls_name(subj), *in = iss ? lab_tls_name(iss) : NULL;
    if (!sn || (iss && !in)) {
        log_error("lab: TLS: bad certificate name '%s'", !sn ? subj : iss);
        X509_NAME_free(sn);
        X509_NAME_free(in);
        return NULL;
    }
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set_int64(X509_get_serialNumber(x), (int64_t)(fnv(subj) & 0x7fffffffffffull));
    X509_gmtime_adj(X509_getm_notBefore(x), -86400L);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 3650);
    X509_set_subject_name(x, sn);
    X509_set_issuer_name(x, in ? in : sn);
    X509_set_pubkey(x, key);
    SSL_CTX *ctx = NULL;
    if (!X509_sign(x, in && ca_key ? ca_key : key, EVP_sha256())) {
        log_error("lab: TLS: signing the certificate failed");
        goto out;
    }
    ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx)
        goto out;
    /* Embedded devices still speak TLS 1.0 with old ciphers; let clients see what they would. */
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate(ctx, x) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1) {
        log_error("lab: TLS: the certificate does not load");
        SSL_CTX_free(ctx);
        ctx = NULL;
    }
out:
    ERR_clear_error();
    X509_free(x);
    X509_NAME_free(sn);
    X509_NAME_free(in);
    return ctx;
}

static void grow(struct lab_tls *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 64;
    struct cert_entry *nt = xcalloc(ncap, sizeof *nt);
    for (size_t i = 0; i < t->cap; i++)
        if (t->tab[i].key) {
            size_t j = fnv(t->tab[i].key) & (ncap - 1);
            while (nt[j].key)
                j = (j + 1) & (ncap - 1);
            nt[j] = t->tab[i];
        }
    free(t->tab);
    t->tab = nt;
    t->cap = ncap;
}

void *lab_tls_ctx(struct lab *lab, struct lab_device *d)
{
    if (d->tls)
        return d->tls;
    if (!lab->tls) {
        lab->tls = xcalloc(1, sizeof *lab->tls);
        lab->tls->keys = xcalloc(lab->n_pinfo, sizeof *lab->tls->keys);
        lab->tls->ca_keys = xcalloc(lab->n_pinfo, sizeof *lab->tls->ca_keys);
    }
    struct lab_tls *t = lab->tls;
    const struct lab_pers *p = d->pi->p, *q = p;
    while (q && !q->tls_subject)
        q = q->base_p;
    const char *subj_t = q ? q->tls_subject : "/CN=${ip}";
    const char *iss_t = q ? q->tls_issuer : NULL;
    struct lab_rctx c = { .lab = lab, .dev = d, .lport = 443, .rng = d->seed };
    struct sbuf b;
    sbuf_init(&b, 8192);
    lab_expand(&c, subj_t, strlen(subj_t), &b);
    size_t subj_len = b.len;
    if (iss_t) {
        sbuf_addc(&b, '\n');
        lab_expand(&c, iss_t, strlen(iss_t), &b);
    }
    size_t pi = (size_t)(d->pi - lab->pinfo);
    if (t->n * 2 >= t->cap)
        grow(t);
    size_t j = fnv(b.p) & (t->cap - 1);
    while (t->tab[j].key && strcmp(t->tab[j].key, b.p))
        j = (j + 1) & (t->cap - 1);
    if (!t->tab[j].key) {
        if (!t->keys[pi] && !(t->keys[pi] = ec_key())) {
            sbuf_deinit(&b);
            return NULL;
        }
        if (iss_t && !t->ca_keys[pi] && !(t->ca_keys[pi] = ec_key())) {
            sbuf_deinit(&b);
            return NULL;
        }
        char *subj = xstrndup(b.p, subj_len);
        SSL_CTX *ctx = make_ctx(t->keys[pi], t->ca_keys[pi], subj, iss_t ? b.p + subj_len + 1 : NULL);
        free(subj);
        if (!ctx) {
            sbuf_deinit(&b);
            return NULL;
        }
        t->tab[j].key = xstrdup(b.p);
        t->tab[j].ctx = ctx;
        t->n++;
    }
    sbuf_deinit(&b);
    d->tls = t->tab[j].ctx;
    return d->tls;
}

void lab_tls_free(struct lab *lab)
{
    struct lab_tls *t = lab->tls;
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++)
        if (t->tab[i].key) {
            free(t->tab[i].key);
            SSL_CTX_free(t->tab[i].ctx);
        }
    for (size_t i = 0; i < lab->n_pinfo; i++) {
        EVP_PKEY_free(t->keys[i]);
        EVP_PKEY_free(t->ca_keys[i]);
    }
    free(t->keys);
    free(t->ca_keys);
    free(t->tab);
    free(t);
    lab->tls = NULL;
}
