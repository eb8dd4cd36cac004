/* fuzz_tb.c — dq_tb_read_scalars (TFRecord framing with CRC32C, then the Event protobuf) on
 * arbitrary bytes. The CRCs make random mutations fail early; libFuzzer's comparison tracing
 * still finds its way through, and the seed corpus holds real event files. */
#include "deepq/tb.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dq_tb_scalar *s = NULL;
    size_t n = 0;
    dq_error err;
    if (dq_tb_read_scalars(fuzz_file(data, size, ".tfevents"), &s, &n, &err)) return 0;
    for (size_t i = 0; i < n; i++)
        if (memchr(s[i].tag, '\0', sizeof s[i].tag) == NULL) abort(); /* tags are terminated */
    free(s);
    return 0;
}
