/* deepq/common.h — status codes, error messages and small shared types.
 *
 * Every library function that can fail returns a dq_status and, when the caller passes a
 * non-NULL dq_error, a one-line human message saying what went wrong and how to fix it.
 * Only the CLI prints and exits; the library never does. */
#ifndef DEEPQ_COMMON_H
#define DEEPQ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DQ_VERSION_MAJOR 0
#define DQ_VERSION_MINOR 1
#define DQ_VERSION_PATCH 0
#define DQ_VERSION "0.1.0"

/* DQ_API marks the public API: the library is compiled with -fvisibility=hidden, so only these
 * declarations are exported from libdeepq.so, and the installed static archives keep only
 * their names global (everything else is localized at install build time). */
#if defined(_WIN32) && defined(DQ_BUILDING_SHARED)
#define DQ_API __declspec(dllexport)
#elif defined(__GNUC__)
#define DQ_API __attribute__((visibility("default")))
#else
#define DQ_API
#endif

typedef enum dq_status {
    DQ_OK = 0,
    DQ_EINVAL,       /* bad argument or option value */
    DQ_ENOMEM,       /* allocation failed */
    DQ_EIO,          /* file could not be opened, read or written */
    DQ_EFORMAT,      /* file or text malformed, truncated or of the wrong shape */
    DQ_ENOTFOUND,    /* unknown id, key or name */
    DQ_EUNSUPPORTED, /* valid request this build or object cannot serve */
} dq_status;

/* Element types of tensors, spaces and files. */
typedef enum dq_dtype {
    DQ_F32 = 0,
    DQ_F64 = 1,
    DQ_I64 = 2,
    DQ_I32 = 3,
    DQ_U8 = 4,
    DQ_BOOL = 5, /* one byte per element, 0 or 1 */
} dq_dtype;

/* Filled by failing calls when non-NULL; msg is one line, no trailing newline. */
typedef struct dq_error {
    dq_status code;
    char msg[512];
} dq_error;

/* Record a failure in err (may be NULL) with a printf-style message; returns code. */
DQ_API dq_status dq_fail(dq_error *err, dq_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Short constant name of a status ("invalid argument", ...). */
DQ_API const char *dq_status_str(dq_status s);

/* Reset err to DQ_OK with an empty message (NULL-safe). */
DQ_API void dq_error_clear(dq_error *err);

/* A whole string as a finite number in any form RL-Zoo writes (1e5, 0.5, -3, 1_000); false on
 * anything else (junk, inf, nan, hex). Surrounding spaces are allowed. */
DQ_API bool dq_parse_f64(const char *s, double *out);
/* Same, and the value must be an integer exactly (1e5 yes, 1.5 no; |v| <= 9e15). */
DQ_API bool dq_parse_i64(const char *s, int64_t *out);
/* Levenshtein distance between a and b, case-insensitive (names longer than 255 bytes: the
 * longer length). */
DQ_API int dq_edit_distance(const char *a, const char *b);
/* The i-th of n names (NULL to skip one), for dq_nearest_name. */
typedef const char *(*dq_name_at)(const void *ctx, int i);
/* The name nearest to word when close enough to be a typo of it (a third of its letters edited
 * at most, two for short words), else NULL: "did you mean CartPole-v1?". */
DQ_API const char *dq_nearest_name(const char *word, dq_name_at name_at, const void *ctx, int n);

#ifdef __cplusplus
}
#endif
#endif
