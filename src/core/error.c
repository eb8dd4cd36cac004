/* error.c — status names and the dq_error message helper. */
#include "deepq/common.h"

#include <stdarg.h>
#include <stdio.h>

dq_status dq_fail(dq_error *err, dq_status code, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void dq_error_clear(dq_error *err) {
    if (!err) return;
    err->code = DQ_OK;
    err->msg[0] = '\0';
}

const char *dq_status_str(dq_status s) {
    switch (s) {
    case DQ_OK: return "ok";
    case DQ_EINVAL: return "invalid argument";
    case DQ_ENOMEM: return "out of memory";
    case DQ_EIO: return "i/o error";
    case DQ_EFORMAT: return "bad format";
    case DQ_ENOTFOUND: return "not found";
    case DQ_EUNSUPPORTED: return "unsupported";
    }
    return "unknown status";
}
