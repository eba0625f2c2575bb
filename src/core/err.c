/* err.c: descriptions of the error codes in err.h. */
#include "err.h"

const char *err_str(int code)
{
    switch (code) {
    case UNMASK_OK: return "success";
    case UNMASK_EAGAIN: return "need more data";
    case UNMASK_EPARSE: return "malformed input";
    case UNMASK_EIO: return "input/output error";
    case UNMASK_ELIMIT: return "limit exceeded";
    case UNMASK_EUSAGE: return "usage error";
    case UNMASK_ENOENT: return "no such file";
    case UNMASK_ERULES: return "invalid knowledge files";
    case UNMASK_ETIMEOUT: return "timed out";
    case UNMASK_EDB: return "database error";
    }
    return "unknown error";
}
