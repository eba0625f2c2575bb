/* tls.h: the TLS certificate as evidence: subject and issuer of the server's certificate.
 *
 * The handshake itself belongs to the scan engine (OpenSSL, non-blocking); this module reads the
 * certificate the server sent (DER) into tls.subject and tls.issuer (docs/OBSERVATIONS.md). */
#ifndef UNMASK_TLS_H
#define UNMASK_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* Pure: the subject and issuer of a DER certificate as RFC 4514 text, CN first
 * ("CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN"), each cut to its
 * capacity. Returns UNMASK_OK or UNMASK_EPARSE. */
int tls_cert_names(const uint8_t *der, size_t len, char *subject, size_t scap, char *issuer,
                   size_t icap);
/* Adds tls.subject and tls.issuer for the certificate served on port. */
void tls_observe_cert(struct probe_host *h, int port, const uint8_t *der, size_t len);

#endif
