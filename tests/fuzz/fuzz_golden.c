/* fuzz_golden.c — dq_golden_replay on arbitrary text: a Gymnasium recording (.jsonl episodes
 * or a tabular .json) is parsed and replayed through the named env. The first byte chooses the
 * file kind; a verdict of "differs" is fine, a crash is not. */
#include "deepq/golden.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const char *path = fuzz_file(data + 1, size - 1, data[0] & 1 ? ".json" : ".jsonl");
    dq_golden_report rep;
    memset(&rep, 0, sizeof rep);
    dq_error err;
    dq_golden_replay(path, NULL, &rep, &err);
    dq_golden_report_free(&rep);
    return 0;
}
