/* lab_tls.h: TLS for the lab's HTTPS ports: certificates with each personality's subject and issuer,
 * made with OpenSSL when first needed (EC P-256 keys: milliseconds, so a 4096-device lab starts at once).
 *
 * Keys are per personality (real devices of one firmware often share their factory key pair); a
 * certificate is per distinct expanded subject and issuer, so a subject that names the device's address
 * (Dahua: CN=<ip>) gets one certificate per device and a fixed one (Hikvision) is shared. */
#ifndef UNMASK_LAB_TLS_H
#define UNMASK_LAB_TLS_H

struct lab;
struct lab_device;

/* The SSL_CTX * (as void *) for a device, made on first use; NULL on failure (logged). */
void *lab_tls_ctx(struct lab *lab, struct lab_device *d);
void lab_tls_free(struct lab *lab);

/* Parses the one-line form "/C=CN/ST=ZheJiang/O=HIKVISION/CN=www.hikvision.com" (DER order; "\/" is a
 * slash in a value) into an X509_NAME * (as void *); NULL if malformed. */
void *lab_tls_name(const char *s);

#endif
