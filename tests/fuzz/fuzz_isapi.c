/* fuzz_isapi.c: Hikvision ISAPI XML (SessionLoginCap, DeviceInfo) and the observations made of it. */
#include "fuzz_probe.inc"

#include "../../src/proto/isapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct isapi_info in;
    if (isapi_parse(data, size, &in) == UNMASK_OK)
        FUZZ_ASSERT(memchr(in.ns, '\0', sizeof in.ns) && memchr(in.model, '\0', sizeof in.model));
    struct device d;
    obs_device_init(&d);
    struct probe_host h = { .addr = "192.0.2.7", .dev = &d };
    isapi_observe(&h, 80, "/ISAPI/System/deviceInfo", data, size);
    check_device(&d);
    obs_device_deinit(&d);
    return 0;
}
