/* fuzz_tls.c: certificate names from DER (tls_cert_names over OpenSSL's d2i_X509). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/utf8.h"
#include "../../src/proto/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char subject[256], issuer[256];
    if (tls_cert_names(data, size, subject, sizeof subject, issuer, sizeof issuer) == 0) {
        if (!memchr(subject, '\0', sizeof subject) || !memchr(issuer, '\0', sizeof issuer))
            abort();
    }
    return 0;
}
